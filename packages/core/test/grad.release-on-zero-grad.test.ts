import { describe, expect, it } from 'vitest';
import { Linear, manualSeed, memoryContext, randn, ReLU, Sequential, withArena, zeros } from '../src/index.js';

describe('zeroGrad() with setToNone gives gradient memory back at once', () => {
  it('a long synchronous loop that clears gradients PyTorch-style keeps a flat high-water mark', () => {
    manualSeed(0);
    const model = new Sequential(new Linear(64, 128), new ReLU(), new Linear(128, 4));
    const x = randn([8, 64]);
    // FinalizationRegistry callbacks never run inside one synchronous job: without the explicit
    // release every step would leave its gradients allocated (~33 KB here) until the loop ends.
    const step = (): void => {
      model.zeroGrad();
      withArena(() => model.forward(x).sum().backward());
    };
    for (let i = 0; i < 3; i++) step();
    const highWater = memoryContext().allocator.highWater;
    for (let i = 0; i < 300; i++) step();
    expect(memoryContext().allocator.highWater).toBe(highWater);
  });

  it('a cleared gradient cannot be read by mistake afterwards; a gradient set by hand is not released', () => {
    const layer = new Linear(3, 2);
    withArena(() =>
      layer
        .forward(randn([4, 3]))
        .sum()
        .backward(),
    );
    const stale = layer.weight.grad!;
    layer.zeroGrad();
    expect(() => stale.toArray()).toThrow(/released/);
    const mine = zeros([2, 3]);
    layer.weight.grad = mine;
    layer.zeroGrad();
    expect(Array.from(mine.toArray())).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
