import { formatValue } from '../util/format-value.js';
import { flatten } from '../ops/views.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { optionKeys, type PositionalOr, positionalOptions } from '../util/options.js';

/** Options of `Flatten`. */
export interface FlattenOptions {
  /** First dim to flatten; default 1. */
  startDim?: number;
  /** Last dim to flatten; default -1. */
  endDim?: number;
}

const FLATTEN_OPTIONS = optionKeys<FlattenOptions>({ startDim: true, endDim: true });

/** Flattens dims `startDim`…`endDim` into one; by default all but the batch dim. `new Flatten(0)` as in PyTorch. */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;

  /**
   * @param args - the integer dims `startDim` (default 1) and `endDim` (default −1, inclusive;
   *   negative counts from the end), positionally as in PyTorch or as {@link FlattenOptions}.
   */
  constructor(...args: PositionalOr<[startDim: number, endDim: number], FlattenOptions>) {
    super();
    const { startDim = 1, endDim = -1 } = positionalOptions<FlattenOptions>('Flatten', args, ['startDim', 'endDim'], FLATTEN_OPTIONS);
    for (const [name, d] of [
      ['startDim', startDim],
      ['endDim', endDim],
    ] as const) {
      if (!Number.isInteger(d)) throw new TypeError(`Flatten: ${name} must be an integer, got ${formatValue(d)}`);
    }
    this.startDim = startDim;
    this.endDim = endDim;
  }

  /** `start_dim=…, end_dim=…`, as PyTorch. */
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }

  /**
   * `input` with dims `startDim`…`endDim` merged into one, as {@link flatten}; a 0-D input becomes [1].
   * @param input - any shape with dims `startDim` and `endDim`.
   */
  forward(input: Tensor): Tensor {
    return flatten(input, this.startDim, this.endDim);
  }
}
