import { afterEach, describe, expect, it } from 'vitest';
import {
  BatchNorm2d,
  Conv2d,
  Flatten,
  LayerNorm,
  Linear,
  MaxPool2d,
  ReLU,
  Sequential,
  type Tensor,
  gather,
  logSoftmax,
  manualSeed,
  memoryContext,
  noGrad,
  randint,
  randn,
  withArena,
} from '../src/index.js';
import { sevensInFreedRegions } from './residency-churn.js';

const KiB = 1 << 10;

/**
 * Trains a small CNN (convolution, batch norm, max pooling, layer norm) for `steps` SGD steps and
 * returns its parameters' bytes. `plain`: no scope, with a tiny headroom and other tensors made
 * and kept between each forward and its backward, so that reclaiming passes move the step's
 * regions out and give them away mid-step; otherwise each step inside withArena.
 */
function train(plain: boolean, steps: number): number[][] {
  manualSeed(11);
  const model = new Sequential(
    new Conv2d(2, 4, 3, 1, 1),
    new BatchNorm2d(4),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(4 * 4 * 4, 16),
    new LayerNorm([16]),
    new ReLU(),
    new Linear(16, 3),
  );
  const data = Array.from({ length: 3 }, () => [randn([6, 2, 8, 8]), randint(0, 3, [6, 1])] as const);
  const residency = memoryContext().residency;
  let others: Tensor[] = [];
  const step = (i: number): void => {
    const [x, y] = data[i % data.length]!;
    model.zeroGrad();
    const loss = gather(logSoftmax(model.forward(x), 1), 1, y)
      .mean()
      .neg();
    if (plain) {
      residency.minHeadroomBytes = 16 * KiB;
      // Other tensors made and kept between forward and backward.
      others = [...others.slice(-400), ...sevensInFreedRegions(200)];
    }
    loss.backward();
    noGrad(() => {
      for (const p of model.parameters()) p.add_(p.grad!, -0.05);
    });
  };
  for (let i = 0; i < steps; i++) {
    if (plain) step(i);
    else withArena(() => step(i));
  }
  return model.parameters().map((p) => Array.from(p.toArray()));
}

describe('a plain loop whose regions move out mid-step trains to the same bytes as the loop in withArena', () => {
  const residency = memoryContext().residency;
  const least = residency.minHeadroomBytes;
  afterEach(() => {
    residency.minHeadroomBytes = least;
  });

  it('a CNN with batch norm, max pooling and layer norm, 12 SGD steps', () => {
    const passes = residency.passes;
    const plain = train(true, 12);
    expect(residency.passes - passes).toBeGreaterThan(12);
    expect(plain).toEqual(train(false, 12));
  });
});
