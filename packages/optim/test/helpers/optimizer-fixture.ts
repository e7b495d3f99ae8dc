import { readFileSync } from 'node:fs';
import { RowSparseTensor, type Tensor, tensor } from '@loom/core';
import { createOptimizer, type Optimizer, type OptimizerName, type ParamGroupInput } from '../../src/index.js';

/** A tensor as the PyTorch fixtures encode it (see test/fixtures/README in the shared fixtures). */
export interface FixtureTensor {
  shape: number[];
  dtype: 'float64' | 'int64' | 'bool';
  data: (number | string)[];
}

/** One case of optimizers.json. */
export interface OptimizerCase {
  id: string;
  optimizer: OptimizerName;
  options: Record<string, unknown>;
  param_groups?: ({ params: number[] } & Record<string, unknown>)[];
  params?: FixtureTensor[];
  objective?: 'quartic' | 'rosenbrock' | 'embedding';
  objective_coeffs?: ({ a: FixtureTensor; b: FixtureTensor } | { c: FixtureTensor[] })[];
  indices?: number[][];
  steps?: number;
  trajectory?: FixtureTensor[][];
  losses?: (number | string)[];
  final_state?: Record<string, unknown>;
  state_dict?: { state: Record<string, Record<string, FixtureTensor>>; param_groups: Record<string, unknown>[] };
  raises?: boolean;
  message?: string;
}

/** Every case of the fixture file. */
export const cases: OptimizerCase[] = JSON.parse(
  readFileSync(new URL('../fixtures/optimizers.json', import.meta.url), 'utf8'),
) as OptimizerCase[];

/** A fixture number: "NaN" and "±Infinity" are strings in the JSON. */
export function fixtureNumber(v: number | string): number {
  if (typeof v === 'number') return v;
  return v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : Number(v);
}

/** The elements of a fixture tensor. */
export function values(t: FixtureTensor): Float64Array {
  return Float64Array.from(t.data, fixtureNumber);
}

/** snake_case → camelCase (`weight_decay` → `weightDecay`). */
export function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Options with PyTorch's keyword names turned into Loom's. */
export function camelOptions(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).map(([k, v]) => [camel(k), v]));
}

/** The case's initial parameters as float64 leaves that require grad. */
export function initialParams(c: OptimizerCase): Tensor[] {
  return (c.params ?? []).map((p) => tensor(values(p), { shape: p.shape, dtype: 'float64', requiresGrad: true }));
}

/** The optimizer the case describes, over `params`. */
export function buildOptimizer(c: OptimizerCase, params: Tensor[]): Optimizer {
  const options = camelOptions(c.options);
  const groups: ParamGroupInput[] | Tensor[] = c.param_groups
    ? c.param_groups.map(({ params: indices, ...rest }) => ({ params: indices.map((i) => params[i]!), ...camelOptions(rest) }))
    : params;
  return createOptimizer(c.optimizer, groups as Tensor[], options as never) as Optimizer;
}

/**
 * The case's objective as an optimizer closure: sets each parameter's `.grad` from the README's
 * formulas and returns f. `stepIndex()` gives the current step (the embedding objective changes
 * per step).
 */
export function objectiveClosure(c: OptimizerCase, params: Tensor[], stepIndex: () => number): () => number {
  const dense = (p: Tensor, g: Float64Array): void => {
    p.grad = tensor(g, { shape: p.shape, dtype: 'float64' });
  };
  if (c.objective === 'rosenbrock') {
    return () => {
      const p = params[0]!;
      const [x0, x1] = p.toArray() as Float64Array;
      dense(p, Float64Array.of(-2 * (1 - x0!) - 400 * x0! * (x1! - x0! * x0!), 200 * (x1! - x0! * x0!)));
      return (1 - x0!) ** 2 + 100 * (x1! - x0! * x0!) ** 2;
    };
  }
  if (c.objective === 'quartic') {
    const coeffs = (c.objective_coeffs ?? []) as { a: FixtureTensor; b: FixtureTensor }[];
    return () => {
      let f = 0;
      params.forEach((p, k) => {
        const a = values(coeffs[k]!.a);
        const b = values(coeffs[k]!.b);
        const x = p.toArray() as Float64Array;
        const g = new Float64Array(x.length);
        x.forEach((v, i) => {
          g[i] = a[i]! * v + b[i]! + 0.4 * v ** 3;
          f += 0.5 * a[i]! * v * v + b[i]! * v + 0.1 * v ** 4;
        });
        dense(p, g);
      });
      return f;
    };
  }
  const coeffs = (c.objective_coeffs?.[0] as { c: FixtureTensor[] }).c;
  return () => {
    const t = stepIndex();
    const indices = c.indices![t]!;
    const ct = values(coeffs[t]!);
    const w = params[0]!;
    const weight = w.toArray() as Float64Array;
    const cols = w.shape[1]!;
    const rows = new Float64Array(indices.length * cols);
    let f = 0;
    indices.forEach((r, k) => {
      for (let j = 0; j < cols; j++) {
        const v = weight[r * cols + j]!;
        const coef = ct[k * cols + j]!;
        rows[k * cols + j] = 2 * coef * v;
        f += coef * v * v;
      }
    });
    const valuesTensor = tensor(rows, { shape: [indices.length, cols], dtype: 'float64' });
    w.grad = new RowSparseTensor(Int32Array.from(indices), valuesTensor, w.shape);
    return f;
  };
}

/** Throws unless |actual − expected| ≤ rtol·|expected| elementwise. */
export function expectRelClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: ${actual.length} elements, PyTorch has ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const x = actual[i]!;
    const y = expected[i]!;
    const ok = Number.isNaN(y) ? Number.isNaN(x) : x === y || Math.abs(x - y) <= rtol * Math.abs(y);
    if (!ok) throw new Error(`${what}: element ${i} is ${x}, PyTorch gives ${y} (rel. error ${Math.abs(x - y) / Math.abs(y)})`);
  }
}
