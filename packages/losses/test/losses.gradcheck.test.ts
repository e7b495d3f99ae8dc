import { gradcheck, rand, randn, tensor, type Tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  huberLoss,
  klDiv,
  l1Loss,
  l1Penalty,
  l2Penalty,
  marginRankingLoss,
  mseLoss,
  nllLoss,
  type Reduction,
  smoothL1Loss,
  softMarginLoss,
} from '../src/index.js';

const f64 = { dtype: 'float64' } as const;
const leaf = (t: Tensor): Tensor => {
  t.requiresGrad = true;
  return t;
};
const reductions: Reduction[] = ['none', 'mean', 'sum'];
const classes = tensor(Int32Array.from([0, 3, 1, 2, 3]));
const spatialClasses = tensor(Int32Array.from([0, 1, 2, 3, 3, 2, 1, 0, 1, 1, 2, 2]), { shape: [2, 2, 3] });
const classWeight = tensor([0.5, 2, 1, 1.5], f64);
const signs = tensor([1, -1, 1, 1, -1, -1], f64).reshape(2, 3);
const probabilities = (): Tensor => rand([3, 4], f64).mul(0.8).add(0.1);

describe('loss gradients agree with finite differences (float64)', () => {
  it.each(reductions)('elementwise losses, reduction %s', (reduction) => {
    const x = leaf(randn([3, 4], f64));
    const y = leaf(randn([3, 4], f64));
    // Broadcast target: the gradient is summed back to the target's shape.
    const row = leaf(randn([4], f64));
    expect(gradcheck((a, b) => l1Loss(a, b, { reduction }), [x, y])).toBe(true);
    expect(gradcheck((a, b) => mseLoss(a, b, { reduction }), [x, row])).toBe(true);
    expect(gradcheck((a, b) => smoothL1Loss(a, b, { reduction, beta: 0.7 }), [x, y])).toBe(true);
    expect(gradcheck((a, b) => huberLoss(a, b, { reduction, delta: 0.4 }), [x, row])).toBe(true);
    expect(gradcheck((a, b) => softMarginLoss(a, b, { reduction }), [leaf(randn([2, 3], f64)), signs])).toBe(true);
  });

  it.each(reductions)('BCE and BCE with logits, reduction %s', (reduction) => {
    const p = leaf(probabilities());
    const y = rand([3, 4], f64);
    const weight = rand([4], f64);
    expect(gradcheck((a, b) => binaryCrossEntropy(a, b, { reduction, weight }), [p, y])).toBe(true);
    const logits = leaf(randn([3, 4], f64).mul(3));
    const posWeight = rand([4], f64).add(0.5);
    expect(gradcheck((a, b) => binaryCrossEntropyWithLogits(a, b, { reduction, weight, posWeight }), [logits, y])).toBe(true);
  });

  it.each(reductions)('cross-entropy and NLL, reduction %s', (reduction) => {
    const x = leaf(randn([5, 4], f64));
    const spatial = leaf(randn([2, 4, 2, 3], f64));
    const options = { reduction, weight: classWeight, ignoreIndex: 1, labelSmoothing: 0.2 };
    expect(gradcheck((a) => crossEntropy(a, classes, { reduction }), [x])).toBe(true);
    expect(gradcheck((a) => crossEntropy(a, classes, options), [x])).toBe(true);
    expect(gradcheck((a) => crossEntropy(a, spatialClasses, options), [spatial])).toBe(true);
    const sequence = tensor(Int32Array.from([3, 0, 1, 1, 2, 0]), { shape: [2, 3] });
    expect(gradcheck((a) => crossEntropy(a, sequence, options), [leaf(randn([2, 4, 3], f64))])).toBe(true);
    const soft = rand([5, 4], f64);
    expect(gradcheck((a) => crossEntropy(a, soft, { reduction, weight: classWeight, labelSmoothing: 0.1 }), [x])).toBe(true);
    expect(gradcheck((a) => crossEntropy(a, tensor(Int32Array.from([2]), { shape: [] }), { reduction }), [leaf(randn([4], f64))])).toBe(
      true,
    );
    expect(gradcheck((a) => nllLoss(a, classes, { reduction, weight: classWeight, ignoreIndex: 3 }), [x])).toBe(true);
    expect(gradcheck((a) => nllLoss(a, spatialClasses, { reduction, weight: classWeight }), [spatial])).toBe(true);
  });

  it.each([...reductions, 'batchmean'] as const)('KL divergence and margin ranking, reduction %s', (reduction) => {
    const logp = leaf(randn([3, 4], f64));
    const p = probabilities();
    const logq = randn([3, 4], f64);
    expect(gradcheck((a) => klDiv(a, p, { reduction }), [logp])).toBe(true);
    expect(gradcheck((a) => klDiv(a, logq, { reduction, logTarget: true }), [logp])).toBe(true);
    if (reduction === 'batchmean') return;
    const x1 = leaf(randn([2, 3], f64));
    const x2 = leaf(randn([2, 3], f64));
    expect(gradcheck((a, b) => marginRankingLoss(a, b, signs, { reduction, margin: 0.3 }), [x1, x2])).toBe(true);
  });

  it('L1 and L2 penalties', () => {
    const params = [leaf(randn([3, 2], f64)), leaf(randn([4], f64))];
    expect(gradcheck((a, b) => l1Penalty([a, b]), params)).toBe(true);
    expect(gradcheck((a, b) => l2Penalty([a, b]), params)).toBe(true);
  });
});
