import { noGrad } from '../autograd/grad-mode.js';
import type { DType } from '../dtype.js';
import { BYTES_PER_ELEMENT } from '../dtype.js';
import { withArena } from '../memory/with-arena.js';
import { zeros } from '../ops/creation.js';
import type { Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import type { Module } from './module.js';

/** Options of `summary`. */
export interface SummaryOptions {
  /** The dtype of the zero input run through the model (default float32). */
  dtype?: DType;
}

/** One module of a `summary`: where it sits in the tree, what it output, what it holds. */
export interface SummaryRow {
  /** Dotted path from the model ('' for the model itself). */
  name: string;
  /** The class name. */
  type: string;
  /** Nesting depth: 0 for the model. */
  depth: number;
  /** The shape of its first output in the sample forward; null when it was not called. */
  outputShape: number[] | null;
  /** Elements of the parameters held directly by this module. */
  params: number;
}

const WIDTHS = [40, 25, 15] as const;
const RULE = '='.repeat(WIDTHS[0] + WIDTHS[1] + WIDTHS[2]);

/** The layers, output shapes and parameter counts of a model, as torchinfo's `summary`. */
export class ModelSummary {
  constructor(
    /** Every module, the model first, depth first. */
    readonly rows: readonly SummaryRow[],
    /** Elements of every parameter (shared ones once). */
    readonly totalParams: number,
    /** Elements of the parameters that require grad. */
    readonly trainableParams: number,
    /** Bytes of every parameter. */
    readonly paramBytes: number,
    /** Bytes of the sample input. */
    readonly inputBytes: number,
  ) {}

  /** The table as torchinfo prints it. */
  toString(): string {
    const count = (n: number): string => n.toLocaleString('en-US');
    const line = (a: string, b: string, c: string): string => (a.padEnd(WIDTHS[0]) + b.padEnd(WIDTHS[1]) + c).trimEnd();
    const out = [RULE, line('Layer (type)', 'Output Shape', 'Param #'), RULE];
    for (const row of this.rows) {
      const label = row.depth === 0 ? row.type : `${'│    '.repeat(row.depth - 1)}├─${row.type}: ${row.name}`;
      out.push(line(label, row.outputShape ? `[${row.outputShape.join(', ')}]` : '--', row.params > 0 ? count(row.params) : '--'));
    }
    const mb = (bytes: number): string => (bytes / 1e6).toFixed(2);
    out.push(
      RULE,
      `Total params: ${count(this.totalParams)}`,
      `Trainable params: ${count(this.trainableParams)}`,
      `Non-trainable params: ${count(this.totalParams - this.trainableParams)}`,
      RULE,
      `Input size (MB): ${mb(this.inputBytes)}`,
      `Params size (MB): ${mb(this.paramBytes)}`,
      RULE,
    );
    return out.join('\n');
  }

  /** What `console.log` shows: the table. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/**
 * Runs a zero input of `inputShape` (batch dim included) through `model` once — in eval mode,
 * without gradients, in an arena — and reports every module's output shape and parameter count,
 * as `torchinfo.summary(model, input_size)`. Modules are listed in tree order; the model's
 * training mode is restored afterwards.
 * @param model - the module summarised; its `forward` must take one tensor
 * @param inputShape - the shape of the zero input, batch dim included (e.g. [1, 3, 32, 32])
 * @param options - `dtype` of the input, see {@link SummaryOptions}; unknown keys throw
 */
export function summary(model: Module, inputShape: Shape, options: SummaryOptions = {}): ModelSummary {
  checkOptions('summary', options, ['dtype']);
  const modules = model.namedModules();
  const shapes = new Map<Module, number[]>();
  const modes = modules.map(([, m]) => m.training);
  const patched: Module[] = [];
  try {
    for (const [, m] of modules) {
      if (Object.hasOwn(m, 'forward')) continue;
      const forward = m.forward;
      Object.defineProperty(m, 'forward', {
        configurable: true,
        writable: true,
        value: (...inputs: Tensor[]): Tensor => {
          const out = forward.apply(m, inputs);
          if (!shapes.has(m) && out instanceof Tensor) shapes.set(m, [...out.shape]);
          return out;
        },
      });
      patched.push(m);
    }
    model.eval();
    noGrad(() => withArena(() => void model.forward(zeros(inputShape, { dtype: options.dtype ?? 'float32' }))));
  } finally {
    for (const m of patched) delete (m as { forward?: unknown }).forward;
    modules.forEach(([, m], i) => (m.training = modes[i]!));
  }
  const rows = modules.map(([name, m]): SummaryRow => ({
    name,
    type: m.constructor.name,
    depth: name === '' ? 0 : name.split('.').length,
    outputShape: shapes.get(m) ?? null,
    params: m.namedOwnParameters().reduce((n, [, p]) => n + p.numel, 0),
  }));
  const params = model.parameters();
  const total = params.reduce((n, p) => n + p.numel, 0);
  const trainable = params.filter((p) => p.requiresGrad).reduce((n, p) => n + p.numel, 0);
  const bytes = params.reduce((n, p) => n + p.numel * BYTES_PER_ELEMENT[p.dtype], 0);
  const inputBytes = inputShape.reduce((n, d) => n * d, 1) * BYTES_PER_ELEMENT[options.dtype ?? 'float32'];
  return new ModelSummary(rows, total, trainable, bytes, inputBytes);
}
