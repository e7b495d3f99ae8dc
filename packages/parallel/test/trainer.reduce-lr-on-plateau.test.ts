import { describe, expect, it } from 'vitest';
import { DataParallelTrainer, type EpochInfo, subset, trainValSplit } from '../dist/index.js';
import { syntheticClasses } from './fixtures/synthetic.js';

const data = syntheticClasses(128, 20);
const { train, val } = trainValSplit(data.length, 0.25, 0);

/** PyTorch's ReduceLROnPlateau (mode min, threshold rel 1e-4, no cooldown), by hand: the lr each epoch starts with. */
function expectedLrs(metrics: number[], lr: number, factor: number, patience: number): number[] {
  const lrs = [lr];
  let best = Infinity;
  let bad = 0;
  for (const m of metrics) {
    if (m < best * (1 - 1e-4)) [best, bad] = [m, 0];
    else bad++;
    if (bad > patience) [lr, bad] = [lr * factor, 0];
    lrs.push(lr);
  }
  return lrs;
}

async function run(metric: 'valLoss' | 'trainLoss' | undefined): Promise<EpochInfo[]> {
  const t = new DataParallelTrainer({
    model: { builtin: 'mlp', sizes: [20, 16, 4] },
    loss: { name: 'CrossEntropyLoss' },
    // A learning rate too large to settle: the monitored loss stops improving within a few epochs.
    optimizer: { name: 'SGD', options: { lr: 2, momentum: 0.9 } },
    scheduler: { name: 'ReduceLROnPlateau', options: { factor: 0.5, patience: 1 }, ...(metric ? { metric } : {}) },
    workers: 2,
    batchSize: 32,
    microBatch: 8,
    seed: 3,
  });
  const epochs: EpochInfo[] = [];
  await t.fit(subset(data, train), { epochs: 8, validation: subset(data, val), onEpoch: (e) => void epochs.push(e) });
  await t.close();
  return epochs;
}

describe('ReduceLROnPlateau in the trainer', () => {
  it('steps after validation with the validation loss (the default metric): lrs as PyTorch computes them', async () => {
    const epochs = await run(undefined);
    const lrs = epochs.map((e) => e.lr);
    expect(lrs).toEqual(
      expectedLrs(
        epochs.map((e) => e.valLoss!),
        2,
        0.5,
        1,
      ).slice(0, epochs.length),
    );
    expect(Math.min(...lrs)).toBeLessThan(2);
  });

  it("monitors the training loss with metric: 'trainLoss'", async () => {
    const epochs = await run('trainLoss');
    expect(epochs.map((e) => e.lr)).toEqual(
      expectedLrs(
        epochs.map((e) => e.trainLoss),
        2,
        0.5,
        1,
      ).slice(0, epochs.length),
    );
  });

  it('refuses to start without the validation set it monitors, and refuses stepping per step', async () => {
    const t = new DataParallelTrainer({
      model: { builtin: 'mlp', sizes: [20, 4] },
      loss: { name: 'CrossEntropyLoss' },
      optimizer: { name: 'SGD', options: { lr: 0.1 } },
      scheduler: { name: 'ReduceLROnPlateau' },
      workers: 1,
      batchSize: 32,
    });
    await expect(t.fit(data, { epochs: 1 })).rejects.toThrow(
      "fit: ReduceLROnPlateau monitors valLoss: pass a validation set, or set scheduler.metric to 'trainLoss'",
    );
    await t.close();
    expect(
      () =>
        new DataParallelTrainer({
          model: { builtin: 'mlp', sizes: [20, 4] },
          loss: { name: 'CrossEntropyLoss' },
          optimizer: { name: 'SGD', options: { lr: 0.1 } },
          scheduler: { name: 'ReduceLROnPlateau', interval: 'step' },
          batchSize: 32,
        }),
    ).toThrow(/ReduceLROnPlateau steps once per epoch/);
  });
});
