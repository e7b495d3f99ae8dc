import { type Tensor, tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import { Adam } from '../src/index.js';
import { buildOptimizer, cases, initialParams, objectiveClosure } from './helpers/optimizer-fixture.js';

const trajectories = cases.filter((c) => c.raises !== true && c.steps !== undefined);

/** The bytes of every parameter, for bitwise comparison. */
function bytes(params: Tensor[]): Uint8Array[] {
  return params.map((p) => new Uint8Array(Float64Array.from(p.toArray()).buffer));
}

describe('save after k steps, load into a fresh optimizer, continue: bit-identical to never stopping', () => {
  it.each(trajectories.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const steps = c.steps!;
    const k = Math.floor(steps / 2);

    const straight = initialParams(c);
    const straightOpt = buildOptimizer(c, straight);
    let step = 0;
    const straightClosure = objectiveClosure(c, straight, () => step);
    const straightLosses: unknown[] = [];
    for (step = 0; step < steps; step++) straightLosses.push(straightOpt.step(straightClosure));

    const first = initialParams(c);
    const firstOpt = buildOptimizer(c, first);
    const firstClosure = objectiveClosure(c, first, () => step);
    for (step = 0; step < k; step++) firstOpt.step(firstClosure);
    const saved = firstOpt.stateDict();
    const resumed = first.map((p) => tensor(Float64Array.from(p.toArray()), { shape: p.shape, dtype: 'float64', requiresGrad: true }));
    // Stepping the original on must not change the dict already taken.
    firstOpt.step(firstClosure);

    const resumedOpt = buildOptimizer(c, resumed);
    resumedOpt.loadStateDict(saved);
    const resumedClosure = objectiveClosure(c, resumed, () => step);
    const resumedLosses: unknown[] = [];
    for (step = k; step < steps; step++) resumedLosses.push(resumedOpt.step(resumedClosure));

    expect(resumedLosses).toEqual(straightLosses.slice(k));
    expect(bytes(resumed)).toEqual(bytes(straight));
  });

  it('casts loaded state to the parameters dtype and keeps step a number', () => {
    const p64 = tensor(Float64Array.of(1, -2, 3), { dtype: 'float64', requiresGrad: true });
    const adam = new Adam([p64], { lr: 0.1 });
    p64.grad = tensor(Float64Array.of(0.5, 0.25, -1), { dtype: 'float64' });
    adam.step();
    const p32 = tensor(Float32Array.of(1, -2, 3), { dtype: 'float32', requiresGrad: true });
    const adam32 = new Adam([p32]);
    adam32.loadStateDict(adam.stateDict());
    const state = adam32.state.get(p32)!;
    expect((state.expAvg as Tensor).dtype).toBe('float32');
    expect(state.step).toBe(1);
    expect(adam32.paramGroups[0]!.lr).toBe(0.1);
  });

  it('refuses a state dict with a different group layout', () => {
    const a = new Adam([tensor(Float64Array.of(1), { dtype: 'float64', requiresGrad: true })]);
    const b = new Adam([
      tensor(Float64Array.of(1), { dtype: 'float64', requiresGrad: true }),
      tensor(Float64Array.of(2), { dtype: 'float64', requiresGrad: true }),
    ]);
    expect(() => b.loadStateDict(a.stateDict())).toThrowError(
      "Adam.loadStateDict: loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
    );
  });
});
