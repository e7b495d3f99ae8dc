import { type Tensor, manualSeed, memoryContext, rand, randint, randn, tensor } from '@loom/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  l1Loss,
  marginRankingLoss,
  mseLoss,
  nllLoss,
} from '../src/index.js';

const KiB = 1 << 10;

/**
 * Moves every tensor's region out of the shared memory and hands the regions to new tensors
 * holding 7s: a pass runs at nearly every allocation (a least headroom of 16 KiB), and each of
 * 300 accesses of one small tensor leaves the rest unprotected (a pass keeps the last 256
 * accesses' regions). Returns the new tensors, to keep them alive.
 */
function moveEverythingOut(): Tensor[] {
  const small = randn([4]);
  const others: Tensor[] = [];
  for (let i = 0; i < 2048; i++) {
    if (i % 32 === 0) for (let k = 0; k < 300; k++) small.data();
    const t = randn([16 << (i % 10)]);
    t.data().fill(7);
    others.push(t);
  }
  return others;
}

/** Each loss's operands; the first requires a gradient. */
const cases: [string, () => Tensor[], (ops: Tensor[]) => Tensor][] = [
  ['mseLoss', () => [randn([8, 50], { requiresGrad: true }), randn([8, 50])], ([x, y]) => mseLoss(x!, y!)],
  ['mseLoss, target broadcast', () => [randn([8, 50], { requiresGrad: true }), randn([50])], ([x, y]) => mseLoss(x!, y!)],
  [
    'l1Loss, no reduction',
    () => [randn([8, 50], { requiresGrad: true }), randn([8, 50])],
    ([x, y]) => l1Loss(x!, y!, { reduction: 'none' }),
  ],
  [
    'marginRankingLoss',
    () => [randn([400], { requiresGrad: true }), randn([400]), randint(0, 2, [400]).mul(2).sub(1).to('float32')],
    ([a, b, y]) => marginRankingLoss(a!, b!, y!, { margin: 0.1 }),
  ],
  [
    'nllLoss with class weights',
    () => [randn([64, 10], { requiresGrad: true }), randint(0, 10, [64]), rand([10])],
    ([x, t, w]) => nllLoss(x!, t!, { weight: w! }),
  ],
  [
    'crossEntropy with class weights',
    () => [randn([64, 10], { requiresGrad: true }), randint(0, 10, [64]), rand([10])],
    ([x, t, w]) => crossEntropy(x!, t!, { weight: w!, labelSmoothing: 0.1 }),
  ],
  [
    'binaryCrossEntropy with weights',
    () => [rand([8, 50], { requiresGrad: true }), rand([8, 50]), rand([50])],
    ([x, y, w]) => binaryCrossEntropy(x!, y!, { weight: w! }),
  ],
  [
    'binaryCrossEntropyWithLogits with weights and posWeight',
    () => [randn([8, 50], { requiresGrad: true }), rand([8, 50]), rand([8, 50]), rand([50])],
    ([x, y, w, p]) => binaryCrossEntropyWithLogits(x!, y!, { weight: w!, posWeight: p! }),
  ],
];

describe("a loss's backward after its operands' regions were moved out and reused gives the same gradient", () => {
  const residency = memoryContext().residency;
  const least = residency.minHeadroomBytes;
  afterEach(() => {
    residency.minHeadroomBytes = least;
  });

  for (const [name, make, loss] of cases) {
    it(name, () => {
      manualSeed(0);
      const operands = make();
      const x = operands[0]!;
      // Summed with weights, so that a reduction 'none' loss's elements all count differently.
      const backward = (l: Tensor): void =>
        (l.ndim === 0 ? l : l.mul(tensor(Array.from({ length: l.numel }, (_, i) => i % 7)).reshape(...l.shape)).sum()).backward();
      backward(loss(operands));
      const expected = Array.from(x.grad!.toArray());
      x.grad = null;

      const l = loss(operands);
      residency.minHeadroomBytes = 16 * KiB;
      const evicted = residency.evictedBytes;
      const others = moveEverythingOut();
      expect(residency.evictedBytes).toBeGreaterThan(evicted);
      backward(l);
      expect(Array.from(x.grad!.toArray())).toEqual(expected);
      expect(others.every((t) => (t.data() as Float32Array).every((v) => v === 7))).toBe(true);
    });
  }
});
