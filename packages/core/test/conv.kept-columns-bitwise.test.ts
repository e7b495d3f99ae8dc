import { describe, expect, it } from 'vitest';
import { type Tensor, conv2d, manualSeed, randn, withArena } from '../src/index.js';

/**
 * Inside withArena conv2d keeps every image's columns from its forward for the weight's gradient;
 * outside it unfolds each image again in backward. The same products of the same columns: the
 * gradients must agree to the bit.
 */
function gradients(scoped: boolean, shape: number[], weightShape: number[], options: Parameters<typeof conv2d>[3]): number[][] {
  manualSeed(3);
  const x = randn(shape, { requiresGrad: true });
  const w = randn(weightShape, { requiresGrad: true });
  const b = randn([weightShape[0]!], { requiresGrad: true });
  // Twice through the same graph (retainGraph), so that the second backward reads the columns the
  // first one left: they must still be the forward's.
  const run = (): void => {
    const y = conv2d(x, w, b, options);
    const loss = y.mul(randn(y.shape)).sum();
    loss.backward({ retainGraph: true });
    loss.backward();
  };
  if (scoped) withArena(run);
  else run();
  return [x, w, b].map((t: Tensor) => Array.from(t.grad!.toArray()));
}

describe('conv2d: the columns kept in a scope give the same gradients as unfolding again', () => {
  for (const [name, shape, weightShape, options] of [
    ["W3's first convolution, 8 images", [8, 1, 28, 28], [6, 1, 5, 5], { padding: 2 }],
    ['groups, stride and dilation', [3, 4, 11, 9], [6, 2, 3, 3], { groups: 2, stride: 2, dilation: [1, 2], padding: 1 }],
  ] as const) {
    it(name, () => {
      expect(gradients(true, [...shape], [...weightShape], options)).toEqual(gradients(false, [...shape], [...weightShape], options));
    });
  }
});
