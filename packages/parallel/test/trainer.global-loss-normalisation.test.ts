import { describe, expect, it } from 'vitest';
import { manualSeed, noGrad, withArena } from '@loom/core';
import { createLoss } from '@loom/losses';
import { createMlp, DataParallelTrainer, gatherBatch, RandomSampler } from '../dist/index.js';
import { syntheticClasses } from './fixtures/synthetic.js';

describe('loss normalisation is global', () => {
  it('the loss the optimizer sees is the mean over the whole batch, weights and ignoreIndex included', async () => {
    const data = syntheticClasses(40, 20);
    const loss = { name: 'CrossEntropyLoss', options: { weight: [1, 2, 3, 4], ignoreIndex: 3 } };
    const trainer = new DataParallelTrainer({
      model: { builtin: 'mlp', sizes: [20, 8, 4] },
      loss,
      optimizer: { name: 'SGD', options: { lr: 0.1 } },
      workers: 2,
      batchSize: 40,
      microBatch: 6,
      seed: 9,
    });
    let stepLoss = NaN;
    await trainer.fit(data, { epochs: 1, onStep: (s) => (stepLoss = s.loss) });
    await trainer.close();

    manualSeed(9);
    const model = createMlp([20, 8, 4]);
    const rows = new RandomSampler(40, { seed: 9 }).indices(0);
    const expected = withArena(() =>
      noGrad(() => {
        const batch = gatherBatch(data, rows);
        return createLoss('CrossEntropyLoss', loss.options).forward(model.forward(batch.features), batch.targets).item();
      }),
    );
    expect(Math.abs(stepLoss - expected)).toBeLessThan(1e-6 * expected);
  });
});
