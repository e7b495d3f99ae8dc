import { describe, expect, it } from 'vitest';
import { DataParallelTrainer } from '../dist/index.js';
import { syntheticClasses } from './fixtures/synthetic.js';

describe('while the workers step through an epoch on their own', () => {
  it('stateDict() refuses (the parameters change under it) and names where to call it; from onEpoch it works', async () => {
    const t = new DataParallelTrainer({
      model: { builtin: 'mlp', sizes: [20, 8, 4] },
      loss: { name: 'CrossEntropyLoss' },
      optimizer: { name: 'SGD', options: { lr: 0.1 } },
      workers: 2,
      batchSize: 16,
      microBatch: 4,
      seed: 1,
    });
    try {
      const during: Promise<unknown>[] = [];
      const atEpochEnd: number[] = [];
      await t.fit(syntheticClasses(64, 20), {
        epochs: 1,
        onStep: (s) => {
          if (s.step === 2) during.push(t.stateDict().catch((e: unknown) => e));
        },
        onEpoch: async () => {
          atEpochEnd.push(Number((await t.stateDict()).meta['step']));
        },
      });
      expect(await during[0]).toBeInstanceOf(Error);
      expect(((await during[0]) as Error).message).toMatch(/stateDict\(\) was called while the workers run epoch 1.*onEpoch/);
      expect(atEpochEnd).toEqual([4]);
    } finally {
      await t.close();
    }
  });
});
