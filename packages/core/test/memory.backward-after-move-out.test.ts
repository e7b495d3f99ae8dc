import { afterEach, describe, expect, it } from 'vitest';
import {
  type Tensor,
  batchNorm,
  conv2d,
  convTranspose2d,
  groupNorm,
  layerNorm,
  manualSeed,
  maxPool2d,
  memoryContext,
  randn,
} from '../src/index.js';
import { churn, sevensInFreedRegions } from './residency-churn.js';

const KiB = 1 << 10;

/** The gradients of `leaves` as plain arrays, then cleared. */
function takeGrads(leaves: Tensor[]): number[][] {
  const grads = leaves.map((t) => Array.from(t.grad!.toArray() as Float32Array));
  for (const t of leaves) t.grad = null;
  return grads;
}

/**
 * Ops whose backward reads its operands, or scratch of its own forward, again. Each runs twice
 * outside any scope: once with backward right after the forward, once with every region moved
 * out between them and handed to new tensors that hold other values (7s). A backward that kept
 * its forward's typed arrays read those 7s: gradients off without a word.
 */
const cases: [string, () => Tensor[], (leaves: Tensor[]) => Tensor][] = [
  [
    'conv2d (its input, weight and column scratch)',
    () => [randn([2, 3, 9, 9], { requiresGrad: true }), randn([4, 3, 3, 3], { requiresGrad: true }), randn([4], { requiresGrad: true })],
    ([x, w, b]) => conv2d(x!, w!, b!, { padding: 1 }),
  ],
  [
    'convTranspose2d',
    () => [randn([2, 4, 5, 5], { requiresGrad: true }), randn([4, 3, 3, 3], { requiresGrad: true })],
    ([x, w]) => convTranspose2d(x!, w!, null, { stride: 2 }),
  ],
  ['maxPool2d (its argmax scratch)', () => [randn([2, 3, 8, 8], { requiresGrad: true })], ([x]) => maxPool2d(x!, { kernelSize: 2 })],
  [
    'batchNorm in training',
    () => [randn([4, 3, 5, 5], { requiresGrad: true }), randn([3], { requiresGrad: true }), randn([3], { requiresGrad: true })],
    ([x, w, b]) => batchNorm(x!, null, null, { weight: w!, bias: b!, training: true }),
  ],
  [
    'groupNorm',
    () => [randn([2, 4, 6, 6], { requiresGrad: true }), randn([4], { requiresGrad: true }), randn([4], { requiresGrad: true })],
    ([x, w, b]) => groupNorm(x!, 2, w!, b!),
  ],
  [
    'layerNorm',
    () => [randn([6, 40], { requiresGrad: true }), randn([40], { requiresGrad: true }), randn([40], { requiresGrad: true })],
    ([x, w, b]) => layerNorm(x!, [40], w!, b!),
  ],
];

describe('backward after its forward regions were moved out and reused gives the same gradients', () => {
  const residency = memoryContext().residency;
  const least = residency.minHeadroomBytes;
  afterEach(() => {
    residency.minHeadroomBytes = least;
  });

  for (const [name, make, op] of cases) {
    it(name, () => {
      manualSeed(0);
      const leaves = make();
      // A weighted sum, so that every output element's gradient differs.
      const weights = randn(op(leaves).shape);
      op(leaves).mul(weights).sum().backward();
      const expected = takeGrads(leaves);

      const loss = op(leaves).mul(weights).sum();
      residency.minHeadroomBytes = 16 * KiB;
      const passes = residency.passes;
      const evicted = residency.evictedBytes;
      churn(64, 32 * KiB);
      const others = sevensInFreedRegions(2048);
      expect(residency.passes).toBeGreaterThan(passes);
      expect(residency.evictedBytes).toBeGreaterThan(evicted);
      loss.backward();
      expect(takeGrads(leaves)).toEqual(expected);
      expect(others.every((t) => (t.data() as Float32Array).every((v) => v === 7))).toBe(true);
    });
  }
});
