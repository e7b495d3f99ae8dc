import type { FloatArray } from '@loom/core';
import { describe, expect, it } from 'vitest';
import { type OptimizerDescriptor, type OptimizerOptions, optimizerDescriptors, type ScalarState } from '../src/index.js';

type AnyDescriptor = OptimizerDescriptor<OptimizerOptions, unknown, Record<string, FloatArray>>;

/** Option sets that reach every branch of each update. */
const variants: Record<keyof typeof optimizerDescriptors, Record<string, unknown>[]> = {
  SGD: [
    { lr: 0.1 },
    { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 },
    { lr: 0.1, momentum: 0.9, dampening: 0.1, maximize: true },
  ],
  ASGD: [{ lambd: 0.01, t0: 1, weightDecay: 0.01 }, { maximize: true }],
  Adagrad: [{ lrDecay: 0.01, initialAccumulatorValue: 0.1, weightDecay: 0.01 }, { maximize: true }],
  Adadelta: [{ weightDecay: 0.01 }, { maximize: true }],
  RMSprop: [{}, { centered: true, momentum: 0.9, weightDecay: 0.01, maximize: true }],
  Adam: [{ weightDecay: 0.01 }, { amsgrad: true, maximize: true }],
  AdamW: [{}, { amsgrad: true, maximize: true }],
  Adamax: [{ weightDecay: 0.01 }, { maximize: true }],
  NAdam: [{ weightDecay: 0.01 }],
  RAdam: [{}, { betas: [0.8, 0.85], weightDecay: 0.01 }],
  SparseAdam: [{}, { maximize: true }],
  Rprop: [{}, { maximize: true, etas: [0.3, 1.5] }],
};

const N = 1001;
const STEPS = 8;

/** A deterministic pseudo-random sequence in [-1, 1), some exact zeros (Rprop's sign branch). */
function randomValues(seed: number, n: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % 17 === 0 ? 0 : s / 2 ** 31 - 1;
  });
}

/** Cuts [0, n) into k contiguous slices of uneven lengths. */
function cuts(n: number, k: number): [number, number][] {
  const bounds = Array.from({ length: k + 1 }, (_, i) => Math.round((n * i * i) / (k * k)));
  return bounds.slice(0, k).map((start, i) => [start, bounds[i + 1]!]);
}

/** Runs STEPS updates over the vector cut into k slices; returns the bytes of param and state. */
function run(
  d: AnyDescriptor,
  options: OptimizerOptions,
  Type: Float32ArrayConstructor | Float64ArrayConstructor,
  k: number,
): Uint8Array[] {
  const param = Type.from(randomValues(1, N));
  const scalars: ScalarState = d.initScalars(options);
  const first = d.hyper(options, { ...scalars }, 1);
  const state: Record<string, FloatArray> = {};
  for (const name of d.stateBuffers(first)) state[name] = new Type(N).fill(d.initState(name, first));
  for (let step = 1; step <= STEPS; step++) {
    const grad = Type.from(randomValues(100 + step, N));
    const hyper = d.hyper(options, scalars, step);
    for (const [lo, hi] of cuts(N, k)) {
      const slices = Object.fromEntries(Object.entries(state).map(([name, b]) => [name, b.subarray(lo, hi)]));
      d.update(param.subarray(lo, hi), grad.subarray(lo, hi), slices, hyper, step);
    }
  }
  return [param, ...Object.values(state)].map((a) => new Uint8Array(a.buffer));
}

describe('updating a vector in one call or in k slices gives bit-identical results', () => {
  const rows = Object.entries(variants).flatMap(([name, list]) =>
    list.flatMap((options, v) =>
      (['float32', 'float64'] as const).map((dtype) => [`${name} #${v} ${dtype}`, name, options, dtype] as const),
    ),
  );

  it.each(rows)('%s', (_label, name, options, dtype) => {
    const d = optimizerDescriptors[name as keyof typeof optimizerDescriptors] as unknown as AnyDescriptor;
    const full = { ...d.defaults, lr: 0.01, ...options } as OptimizerOptions;
    const Type = dtype === 'float32' ? Float32Array : Float64Array;
    const whole = run(d, full, Type, 1);
    expect(whole[0]!.some((b) => b !== 0)).toBe(true);
    for (const k of [3, 7]) {
      const sliced = run(d, full, Type, k);
      // Buffer.equals compares bytes; vitest's deep equality would walk them one by one, slowly.
      expect(sliced.map((bytes, i) => Buffer.from(bytes).equals(whole[i]!))).toEqual(whole.map(() => true));
    }
  });
});

// The data-parallel trainer reuses the hyperparameters of an optimizer without scalar state from
// step to step (OptimizerDescriptor.hyper): they must not depend on the step.
describe('without scalar state, the hyperparameters are the options alone, whatever the step', () => {
  const rows = Object.entries(variants)
    .filter(([name]) => optimizerDescriptors[name as keyof typeof optimizerDescriptors].scalarNames.length === 0)
    .flatMap(([name, list]) => list.map((options, v) => [`${name} #${v}`, name, options] as const));

  it.each(rows)('%s', (_label, name, options) => {
    const d = optimizerDescriptors[name as keyof typeof optimizerDescriptors] as unknown as AnyDescriptor;
    const full = { ...d.defaults, lr: 0.01, ...options } as OptimizerOptions;
    const hypers = [0, 1, 2, 1000].map((step) => d.hyper(full, {}, step));
    for (const hyper of hypers) expect(hyper).toEqual(hypers[0]);
  });
});
