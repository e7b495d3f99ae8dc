import { describe, expect, it } from 'vitest';
import { tensor } from '@loom/core';
import { ReduceLROnPlateau, SGD } from '@loom/optim';
import { DataParallelTrainer, type TrainerOptions } from '../dist/index.js';
import { syntheticClasses } from './fixtures/synthetic.js';

const base: TrainerOptions = {
  model: { builtin: 'mlp', sizes: [20, 8, 4] },
  loss: { name: 'CrossEntropyLoss' },
  optimizer: { name: 'Adam', options: { lr: 0.01 } },
  workers: 2,
  batchSize: 16,
  seed: 1,
};

describe('DataParallelTrainer options are strict', () => {
  it('a snake_case or unknown key throws in the constructor, naming the known ones', () => {
    expect(() => new DataParallelTrainer({ ...base, batch_size: 16 } as never)).toThrowError(
      "DataParallelTrainer: unknown option 'batch_size' (did you mean 'batchSize'?)",
    );
    expect(() => new DataParallelTrainer({ ...base, model: { builtin: 'mlp', size: [20, 4] } } as never)).toThrowError(
      "DataParallelTrainer: model (mlp): unknown option 'size' (did you mean 'sizes'?)",
    );
    expect(() => new DataParallelTrainer({ ...base, optimizer: { name: 'Adam', option: {} } } as never)).toThrowError(
      "DataParallelTrainer: optimizer: unknown option 'option' (did you mean 'options'?)",
    );
  });

  it("a bad loss option fails in the constructor, not in the workers at step 1", () => {
    expect(() => new DataParallelTrainer({ ...base, loss: { name: 'CrossEntropyLoss', options: { label_smoothing: 0.1 } } })).toThrowError(
      "createLoss: CrossEntropyLoss: unknown option 'label_smoothing' (did you mean 'labelSmoothing'?)",
    );
  });

  it('ReduceLROnPlateau every step is refused', () => {
    expect(() => new DataParallelTrainer({ ...base, scheduler: { name: 'ReduceLROnPlateau', interval: 'step' } })).toThrowError(
      "ReduceLROnPlateau steps on the validation loss after each epoch; it cannot have interval 'step'",
    );
  });
});

describe('ReduceLROnPlateau in the trainer steps after validation, on the validation loss', () => {
  it('throws up front without a validation set', async () => {
    const trainer = new DataParallelTrainer({ ...base, scheduler: { name: 'ReduceLROnPlateau' } });
    await expect(trainer.fit(syntheticClasses(32, 20), { epochs: 1 })).rejects.toThrow(
      'fit: the scheduler ReduceLROnPlateau steps on the validation loss: pass a validation set to fit',
    );
    await trainer.close();
  });

  it('each epoch trains at the lr a ReduceLROnPlateau stepped with the previous validation losses gives', async () => {
    const options = { mode: 'max' as const, patience: 0, factor: 0.5 };
    const trainer = new DataParallelTrainer({ ...base, scheduler: { name: 'ReduceLROnPlateau', options } });
    const lrs: number[] = [];
    const valLosses: number[] = [];
    await trainer.fit(syntheticClasses(64, 20), {
      epochs: 3,
      validation: syntheticClasses(32, 20),
      onStep: (info) => {
        if (info.batch === 0) lrs.push(info.lr);
      },
      onEpoch: (info) => void valLosses.push(info.valLoss!),
    });
    await trainer.close();
    // The reference: the library scheduler on a one-parameter SGD, stepped with the same losses.
    const sgd = new SGD([tensor([0], { requiresGrad: true })], 0.01);
    const reference = new ReduceLROnPlateau(sgd, options);
    const expected = [sgd.paramGroups[0]!.lr];
    for (const loss of valLosses.slice(0, -1)) {
      reference.step(loss);
      expected.push(sgd.paramGroups[0]!.lr);
    }
    expect(lrs).toEqual(expected);
    expect(new Set(lrs).size).toBeGreaterThan(1);
  });
});
