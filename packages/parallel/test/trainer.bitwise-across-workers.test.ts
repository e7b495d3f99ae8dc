import { describe, expect, it } from 'vitest';
import { DataParallelTrainer, type ModelSpec } from '../dist/index.js';
import { stateHash, syntheticClasses } from './fixtures/synthetic.js';

async function train(
  model: ModelSpec,
  workers: number,
  featureShape: number[],
  dispatch: 'tasks' | 'persistent' = 'persistent',
): Promise<{ hash: string; loss: number }> {
  const d = featureShape.reduce((a, b) => a * b, 1);
  const data = syntheticClasses(128, d, featureShape);
  const trainer = new DataParallelTrainer({
    model,
    loss: { name: 'CrossEntropyLoss' },
    optimizer: { name: 'Adam', options: { lr: 1e-2 } },
    workers,
    batchSize: 64,
    microBatch: 8,
    seed: 7,
    dispatch,
  });
  try {
    await trainer.fit(data, { epochs: 3 });
    const { loss } = await trainer.evaluate(data);
    return { hash: stateHash(await trainer.stateDict()), loss };
  } finally {
    await trainer.close();
  }
}

describe('the same seed trains to identical parameter bytes with 1, 2, 3 and 4 workers', () => {
  it('MLP', async () => {
    const runs = [];
    for (const workers of [1, 2, 3, 4]) runs.push(await train({ builtin: 'mlp', sizes: [20, 16, 4] }, workers, [20]));
    // Task dispatch runs the same arithmetic: the same bytes again.
    for (const workers of [2, 3]) runs.push(await train({ builtin: 'mlp', sizes: [20, 16, 4] }, workers, [20], 'tasks'));
    for (const r of runs) expect(r).toEqual(runs[0]);
    expect(runs[0]!.loss).toBeLessThan(1.3); // it learned something: chance level is ln 4 ≈ 1.386
  });

  it('MLP, 16 chunks a batch (the last batch 14), with clipping and an L2 penalty', async () => {
    const data = syntheticClasses(120, 20);
    const runs: string[] = [];
    for (const workers of [1, 2, 3, 4]) {
      const trainer = new DataParallelTrainer({
        model: { builtin: 'mlp', sizes: [20, 16, 4] },
        loss: { name: 'CrossEntropyLoss' },
        optimizer: { name: 'Adam', options: { lr: 1e-2 } },
        workers,
        batchSize: 64,
        microBatch: 4,
        seed: 3,
        clipGradNorm: 0.5,
        l2: 1e-3,
      });
      try {
        await trainer.fit(data, { epochs: 2 });
        runs.push(stateHash(await trainer.stateDict()));
      } finally {
        await trainer.close();
      }
    }
    expect(new Set(runs).size).toBe(1);
  });

  it('small CNN', async () => {
    const runs = [];
    for (const workers of [1, 2, 3, 4])
      runs.push(await train({ builtin: 'cnn', inputShape: [1, 12, 12], numClasses: 4 }, workers, [1, 12, 12]));
    for (const r of runs) expect(r).toEqual(runs[0]);
  });
});
