import { describe, expect, it } from 'vitest';
import { manualSeed, type Tensor } from '@loom/core';
import { createMlp, DataParallelTrainer } from '../dist/index.js';
import { trainByHand } from './fixtures/reference-loop.js';
import { syntheticClasses } from './fixtures/synthetic.js';

const SEED = 11;
const BATCH = 48;
const MICRO = 16;

const STEP_LR = { stepSize: 2, gamma: 0.5 };

/** The reference (fixtures/reference-loop.ts) on an MLP: its parameters after `epochs`. */
function plainLoop(epochs: number, stepLR?: typeof STEP_LR): Float32Array[] {
  const data = syntheticClasses(160, 20);
  manualSeed(SEED);
  const model = createMlp([20, 16, 4]);
  trainByHand(model, data, { epochs, seed: SEED, batch: BATCH, micro: MICRO, ...(stepLR ? { stepLR } : {}) });
  return model.parameters().map((p) => Float32Array.from(p.data() as Float32Array));
}

describe('one worker', () => {
  // The per-step schedule: the trainer reuses Adam's hyperparameters between steps, and must take
  // every new lr all the same.
  it.each([
    ['without a scheduler', undefined],
    ['with a StepLR stepped every step', STEP_LR],
  ])('gives the bytes of a plain single-thread loop over core + losses + optim with the same chunking, %s', async (_label, stepLR) => {
    const trainer = new DataParallelTrainer({
      model: { builtin: 'mlp', sizes: [20, 16, 4] },
      loss: { name: 'CrossEntropyLoss' },
      optimizer: { name: 'Adam', options: { lr: 1e-2 } },
      ...(stepLR ? { scheduler: { name: 'StepLR', options: stepLR, interval: 'step' as const } } : {}),
      workers: 1,
      batchSize: BATCH,
      microBatch: MICRO,
      seed: SEED,
    });
    try {
      await trainer.fit(syntheticClasses(160, 20), { epochs: 2 });
      const trained = (await trainer.model()).parameters().map((p: Tensor) => Float32Array.from(p.data() as Float32Array));
      const expected = plainLoop(2, stepLR);
      expect(trained.length).toBe(expected.length);
      trained.forEach((t, i) => expect(Buffer.from(t.buffer).equals(Buffer.from(expected[i]!.buffer))).toBe(true));
    } finally {
      await trainer.close();
    }
  });
});
