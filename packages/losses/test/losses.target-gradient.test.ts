import { noGrad, tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  klDiv,
  marginRankingLoss,
  mseLoss,
  softMarginLoss,
} from '../src/index.js';

// A target that requires grad must get its gradient or the loss must say it gives none: these
// losses compute the input's gradient only, so they refuse such a target instead of leaving it at null.
describe('a target that requires grad, in a loss that gives it no gradient, throws', () => {
  const input = (): ReturnType<typeof tensor> => tensor([0.2, 0.7, 0.4], { requiresGrad: true });
  const target = (): ReturnType<typeof tensor> => tensor([0.1, 0.9, 0.5], { requiresGrad: true });
  const cases: [string, () => unknown][] = [
    ['binaryCrossEntropyWithLogits', () => binaryCrossEntropyWithLogits(input(), target())],
    ['binaryCrossEntropy', () => binaryCrossEntropy(input(), target())],
    ['klDiv', () => klDiv(input(), target())],
    ['softMarginLoss', () => softMarginLoss(input(), target())],
    ['marginRankingLoss', () => marginRankingLoss(input(), input(), target())],
    [
      'crossEntropy',
      () => crossEntropy(tensor([[0.2, 0.7, 0.1]], { requiresGrad: true }), tensor([[0.1, 0.8, 0.1]], { requiresGrad: true })),
    ],
  ];
  for (const [op, call] of cases) {
    it(op, () => {
      expect(call).toThrow(`${op}: the target requires grad, but ${op} computes the gradient of its input only`);
      // A detached target, or no graph at all, is fine.
      expect(() => noGrad(call)).not.toThrow();
    });
  }

  it('mseLoss, a function of input − target, gives the target the negated gradient of the input', () => {
    const x = input();
    const y = target();
    mseLoss(x, y).backward();
    const gx = Array.from(x.grad!.data());
    // d/dx mean((x − y)²) = 2(x − y)/3, by hand: 2·(0.1, −0.2, −0.1)/3.
    [0.2 / 3, -0.4 / 3, -0.2 / 3].forEach((v, i) => expect(gx[i]).toBeCloseTo(v, 6));
    expect(Array.from(y.grad!.data())).toEqual(gx.map((v) => -v));
  });
});
