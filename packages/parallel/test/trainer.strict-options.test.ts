import { describe, expect, it } from 'vitest';
import { DataParallelTrainer, type TrainerOptions } from '../dist/index.js';

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
    expect(() => new DataParallelTrainer({ ...base, model: { builtin: 'resnet' } } as never)).toThrowError(
      'DataParallelTrainer: model.builtin must be one of mlp, cnn, cnn-bn, char-transformer, got "resnet"',
    );
    expect(
      () =>
        new DataParallelTrainer({ ...base, model: { builtin: 'char-transformer', vocabSize: 5, contextLength: 4, d_model: 8 } } as never),
    ).toThrowError("DataParallelTrainer: model (char-transformer): unknown option 'd_model' (did you mean 'dModel'?)");
    expect(() => new DataParallelTrainer({ ...base, optimizer: { name: 'Adam', option: {} } } as never)).toThrowError(
      "DataParallelTrainer: optimizer: unknown option 'option' (did you mean 'options'?)",
    );
  });

  it('a bad loss option fails in the constructor, not in the workers at step 1', () => {
    expect(() => new DataParallelTrainer({ ...base, loss: { name: 'CrossEntropyLoss', options: { label_smoothing: 0.1 } } })).toThrowError(
      "createLoss: CrossEntropyLoss: unknown option 'label_smoothing' (did you mean 'labelSmoothing'?)",
    );
  });

  it('a scheduler spec with a misspelt key throws', () => {
    expect(
      () => new DataParallelTrainer({ ...base, scheduler: { name: 'StepLR', options: { stepSize: 1 }, intervall: 'step' } } as never),
    ).toThrowError("DataParallelTrainer: scheduler: unknown option 'intervall' (did you mean 'interval'?)");
  });

  it('optimizer options are checked in the constructor as the optimizer classes check them (one descriptor)', () => {
    const adam = (options: object): TrainerOptions => ({ ...base, optimizer: { name: 'Adam', options } as never });
    expect(() => new DataParallelTrainer(adam({ lrr: 0.1 }))).toThrowError(/Adam: unknown option 'lrr'.*lr/);
    expect(() => new DataParallelTrainer(adam({ weight_decay: 0.1 }))).toThrowError(
      /Adam: unknown option 'weight_decay' \(did you mean 'weightDecay'\?\)/,
    );
    expect(() => new DataParallelTrainer(adam({ lr: -1 }))).toThrowError('Invalid learning rate: -1.0');
    expect(() => new DataParallelTrainer(adam({ betas: 0.9 }))).toThrowError(/Adam: option 'betas' must be an array/);
    expect(() => new DataParallelTrainer({ ...base, optimizer: { name: 'SGD' } })).toThrowError(
      "parameter group didn't specify a value of required optimization parameter lr",
    );
    expect(() => new DataParallelTrainer({ ...base, scheduler: { name: 'StepLR', options: { step_size: 1 } } } as never)).toThrowError(
      /step_size/,
    );
  });

  it('refuses SparseAdam (the trainer sums gradients densely) at once', () => {
    expect(() => new DataParallelTrainer({ ...base, optimizer: { name: 'SparseAdam' } })).toThrowError(
      /SparseAdam updates only the rows a sparse gradient holds.*use Adam or AdamW/,
    );
  });
});
