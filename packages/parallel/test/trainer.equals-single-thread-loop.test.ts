import { describe, expect, it } from 'vitest';
import { manualSeed, withArena, mul, type Tensor } from '@loom/core';
import { createLoss, lossNormalizer } from '@loom/losses';
import { Adam } from '@loom/optim';
import { batchRanges, createMlp, DataParallelTrainer, gatherBatch, RandomSampler } from '../dist/index.js';
import { syntheticClasses } from './fixtures/synthetic.js';

const SEED = 11;
const BATCH = 48;
const MICRO = 16;

/**
 * The data-parallel step written out by hand on one thread with core + losses + optim: every
 * chunk's gradient of (chunk sum / batch normaliser) in its own buffer, the buffers summed in the
 * same pairwise tree, then Adam's class step.
 */
function plainLoop(epochs: number): Float32Array[] {
  const data = syntheticClasses(160, 20);
  manualSeed(SEED);
  const model = createMlp([20, 16, 4]);
  const params = model.parameters();
  const optimizer = new Adam(params, { lr: 1e-2 });
  const criterion = createLoss('CrossEntropyLoss', { reduction: 'sum' });
  const sampler = new RandomSampler(data.length, { seed: SEED });
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = sampler.indices(epoch);
    for (const [start, end] of batchRanges(order.length, BATCH)) {
      const rows = order.subarray(start, end);
      const normalizer = withArena(() => lossNormalizer('CrossEntropyLoss', {}, gatherBatch(data, rows).targets));
      const chunkGrads: Float32Array[][] = [];
      for (let c = start; c < end; c += MICRO) {
        model.zeroGrad();
        withArena(() => {
          const batch = gatherBatch(data, order.subarray(c, Math.min(c + MICRO, end)));
          mul(criterion.forward(model.forward(batch.features), batch.targets), 1 / normalizer).backward();
        });
        chunkGrads.push(params.map((p) => Float32Array.from(p.grad!.data())));
      }
      for (let s = 1; s < chunkGrads.length; s *= 2) {
        for (let i = 0; i + s < chunkGrads.length; i += 2 * s) {
          chunkGrads[i]!.forEach((g, k) => {
            const other = chunkGrads[i + s]![k]!;
            for (let e = 0; e < g.length; e++) g[e] = g[e]! + other[e]!;
          });
        }
      }
      params.forEach((p, k) => (p.grad!.data() as Float32Array).set(chunkGrads[0]![k]!));
      optimizer.step();
    }
  }
  return params.map((p) => Float32Array.from(p.data() as Float32Array));
}

describe('one worker', () => {
  it('gives the bytes of a plain single-thread loop over core + losses + optim with the same chunking', async () => {
    const trainer = new DataParallelTrainer({
      model: { builtin: 'mlp', sizes: [20, 16, 4] },
      loss: { name: 'CrossEntropyLoss' },
      optimizer: { name: 'Adam', options: { lr: 1e-2 } },
      workers: 1,
      batchSize: BATCH,
      microBatch: MICRO,
      seed: SEED,
    });
    try {
      await trainer.fit(syntheticClasses(160, 20), { epochs: 2 });
      const trained = (await trainer.model()).parameters().map((p: Tensor) => Float32Array.from(p.data() as Float32Array));
      const expected = plainLoop(2);
      expect(trained.length).toBe(expected.length);
      trained.forEach((t, i) => expect(Buffer.from(t.buffer).equals(Buffer.from(expected[i]!.buffer))).toBe(true));
    } finally {
      await trainer.close();
    }
  });
});
