import { describe, expect, it } from 'vitest';
import {
  Generator,
  Linear,
  ReLU,
  Sequential,
  logSoftmax,
  manualSeed,
  memoryContext,
  noGrad,
  rand,
  withArena,
  zeros,
} from '../src/index.js';

/** 128 points of [−1, 1]² labelled by quadrant parity (XOR): not linearly separable. */
function xorProblem(): { x: ReturnType<typeof rand>; target: ReturnType<typeof zeros> } {
  const x = rand([128, 2], { generator: new Generator(7) })
    .mul(2)
    .sub(1);
  const target = zeros([128, 2]);
  const xs = x.data();
  const t = target.data();
  for (let i = 0; i < 128; i++) t[i * 2 + (xs[i * 2]! * xs[i * 2 + 1]! > 0 ? 1 : 0)] = 1;
  return { x, target };
}

describe('an MLP trained with inline SGD', () => {
  it('fits XOR in 200 steps, each in an arena that does not raise the high-water mark', () => {
    manualSeed(0);
    const model = new Sequential(new Linear(2, 32), new ReLU(), new Linear(32, 2));
    const { x, target } = xorProblem();
    const lr = 0.5;
    const allocator = memoryContext().allocator;

    const step = (): number =>
      withArena(() => {
        // zeroGrad(false) zero-fills the persistent gradients allocated by the first backward.
        // Setting them to null instead would make every backward allocate new persistent
        // gradients while the old ones wait for the garbage collector to release them, so the
        // high-water mark would creep up.
        model.zeroGrad(false);
        const loss = logSoftmax(model.forward(x), 1).mul(target).sum().neg().div(128);
        loss.backward();
        noGrad(() => {
          for (const p of model.parameters()) {
            const w = p.data();
            const g = p.grad!.data();
            for (let i = 0; i < w.length; i++) w[i] = w[i]! - lr * g[i]!;
          }
        });
        return loss.item();
      });

    const losses = [step()];
    const highWater = allocator.highWater;
    for (let i = 1; i < 200; i++) losses.push(step());

    expect(allocator.highWater).toBe(highWater);
    // From ln 2 ≈ 0.69 (chance) this run ends near 0.089; the bounds leave room for kernels
    // that round differently.
    const first = losses[0]!;
    const last = losses[losses.length - 1]!;
    expect(first).toBeGreaterThan(0.6);
    expect(last).toBeLessThan(0.12);
    expect(last).toBeLessThan(first / 5);
  });
});
