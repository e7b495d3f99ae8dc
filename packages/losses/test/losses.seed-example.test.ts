import { ones, tensor, type Tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import { binaryCrossEntropy, crossEntropy, l1Loss, mseLoss, nllLoss, smoothL1Loss } from '../src/index.js';
import { lossCases } from './fixtures/cases.js';

// The fixed example of the fixtures' `seed-` cases: sample = ones(2, 2), target = [[0, 1], [2, 3]].
const sample = (): Tensor => ones([2, 2], { dtype: 'float64' });
const target = (): Tensor =>
  tensor(
    [
      [0, 1],
      [2, 3],
    ],
    { dtype: 'float64' },
  );
const seedIds = lossCases.filter((c) => c.id.startsWith('seed-')).map((c) => c.id);

describe('the seed example (input ones(2, 2), target [[0, 1], [2, 3]])', () => {
  it('is the example the fixtures record', () => {
    expect(seedIds).toHaveLength(18);
    for (const id of seedIds) {
      const c = lossCases.find((k) => k.id === id)!;
      expect(c.input.data).toEqual([1, 1, 1, 1]);
      expect(c.target.data).toEqual([0, 1, 2, 3]);
    }
  });

  it('L1 gives 1', () => {
    expect(l1Loss(sample(), target()).item()).toBe(1);
  });

  it('SmoothL1 gives 0.625', () => {
    expect(smoothL1Loss(sample(), target()).item()).toBe(0.625);
  });

  it('MSE gives 1.5', () => {
    expect(mseLoss(sample(), target()).item()).toBe(1.5);
  });

  it('BCE gives −50: the target is not range-checked and log(1 − 1) is clamped at −100', () => {
    expect(binaryCrossEntropy(sample(), target()).item()).toBe(-50);
    expect(Array.from(binaryCrossEntropy(sample(), target(), { reduction: 'none' }).toArray(), (v) => v + 0)).toEqual([100, 0, -100, -200]);
  });

  it('cross-entropy reads the float target as class probabilities: 3·ln 2', () => {
    expect(crossEntropy(sample(), target()).item()).toBeCloseTo(3 * Math.LN2, 14);
    expect(crossEntropy(sample(), target(), { reduction: 'sum' }).item()).toBeCloseTo(6 * Math.LN2, 14);
  });

  it('NLL refuses the float target with a clear message', () => {
    expect(() => nllLoss(sample(), target())).toThrow(
      /nllLoss: expected class indices, an int32 target of shape \[2\], but got a float64 target/,
    );
  });
});
