import { describe, expect, it } from 'vitest';
import { loadSafetensors, saveSafetensors } from '@loom/core';
import { DataParallelTrainer, type TrainerOptions, type TrainerState } from '../dist/index.js';
import { stateHash, syntheticClasses } from './fixtures/synthetic.js';

const data = syntheticClasses(96, 20);
const options: TrainerOptions = {
  model: { builtin: 'mlp', sizes: [20, 12, 4] },
  loss: { name: 'CrossEntropyLoss', options: { labelSmoothing: 0.1 } },
  optimizer: { name: 'AdamW', options: { lr: 5e-3, weightDecay: 0.01, amsgrad: true } },
  scheduler: { name: 'StepLR', options: { stepSize: 1, gamma: 0.5 } },
  workers: 2,
  batchSize: 32,
  microBatch: 8,
  seed: 5,
  clipGradNorm: 1,
  l1: 1e-4,
};

/** What a checkpoint file pair holds: safetensors bytes and a JSON sidecar. */
function throughFiles(state: TrainerState): TrainerState {
  const { tensors } = loadSafetensors(saveSafetensors(state.tensors));
  return { tensors, meta: JSON.parse(JSON.stringify(state.meta)) as Record<string, unknown> };
}

describe('resume', () => {
  it('train k epochs, save, load into a new trainer, continue: identical to never stopping', async () => {
    const straight = new DataParallelTrainer(options);
    const lrs: number[] = [];
    await straight.fit(data, { epochs: 3, onStep: (s) => lrs.push(s.lr) });
    const expected = stateHash(await straight.stateDict());
    await straight.close();

    const first = new DataParallelTrainer(options);
    await first.fit(data, { epochs: 2 });
    const saved = throughFiles(await first.stateDict());
    await first.close();

    const second = new DataParallelTrainer(options);
    await second.loadStateDict(saved);
    const resumedLrs: number[] = [];
    await second.fit(data, { epochs: 1, onStep: (s) => resumedLrs.push(s.lr) });
    expect(stateHash(await second.stateDict())).toBe(expected);
    expect(resumedLrs).toEqual(lrs.slice(6));
    expect(lrs[0]! / lrs[6]!).toBe(4);
    await second.close();
  });
});
