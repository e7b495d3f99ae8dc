import { Tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import { buildOptimizer, camel, cases, expectRelClose, initialParams, objectiveClosure, values } from './helpers/optimizer-fixture.js';

/** PyTorch's switches between its own kernel implementations, which Loom does not have. */
const PYTORCH_ONLY = new Set(['foreach', 'capturable', 'differentiable', 'fused']);

describe("Adam's state dict after 3 steps matches PyTorch's key for key", () => {
  const c = cases.find((x) => x.id === 'Adam-lr0.05-state-dict-after-3-quartic')!;
  const params = initialParams(c);
  const adam = buildOptimizer(c, params);
  const closure = objectiveClosure(c, params, () => 0);
  for (let i = 0; i < c.steps!; i++) adam.step(closure);
  const ours = adam.stateDict();
  const theirs = c.state_dict!;

  it('has the same parameter indices in state', () => {
    expect(Object.keys(ours.state)).toEqual(Object.keys(theirs.state));
  });

  it.each(Object.keys(theirs.state))('state of parameter %s: same keys, dtypes, shapes and values', (index) => {
    const expected = theirs.state[index]!;
    const actual = ours.state[Number(index)]!;
    expect(Object.keys(actual)).toEqual(Object.keys(expected).map(camel));
    for (const [key, fixture] of Object.entries(expected)) {
      const value = actual[camel(key)];
      expect(value, key).toBeInstanceOf(Tensor);
      const t = value as Tensor;
      expect([key, t.dtype, t.shape]).toEqual([key, fixture.dtype, fixture.shape]);
      expectRelClose(t.toArray(), values(fixture), 1e-9, key);
    }
  });

  it('has the same param_groups, options camelCased, without PyTorch-only switches', () => {
    const expected = theirs.param_groups.map((group) =>
      Object.fromEntries(
        Object.entries(group)
          .filter(([k]) => !PYTORCH_ONLY.has(k))
          .map(([k, v]) => [camel(k), v]),
      ),
    );
    expect(ours.paramGroups).toEqual(expected);
  });
});
