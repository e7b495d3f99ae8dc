import { tensor } from '@loom/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DataLoader, DataParallelTrainer, TensorDataset, textDataset, type TrainerOptions } from '../dist/index.js';
import { syntheticClasses } from './fixtures/synthetic.js';

/** Arguments the trainer and the datasets used to ignore (fit's options) or crash on (null). */
const asAny = <T>(value: unknown): T => value as T;
const options: TrainerOptions = {
  model: { builtin: 'mlp', sizes: [20, 8, 4] },
  loss: { name: 'CrossEntropyLoss' },
  optimizer: { name: 'Adam', options: { lr: 0.01 } },
  workers: 1,
  batchSize: 16,
  seed: 1,
};

describe("the trainer's methods check their arguments before starting workers", () => {
  const trainer = new DataParallelTrainer(options);
  const data = syntheticClasses(32, 20);
  afterAll(() => trainer.close());

  it('fit refuses unknown options (onstep was ignored), a missing options object and extra arguments', async () => {
    await expect(trainer.fit(data, asAny({ epochs: 1, onstep: () => {} }))).rejects.toThrowError(
      "fit: unknown option 'onstep' (did you mean 'onStep'?); known options: epochs, validation, onStep, onEpoch, signal",
    );
    await expect(trainer.fit(data, asAny(undefined))).rejects.toThrowError('fit: options { epochs } are required');
    await expect(trainer.fit(data, asAny(3))).rejects.toThrowError(
      'fit: options must be an object of epochs, validation, onStep, onEpoch, signal, but got 3',
    );
    await expect(trainer.fit(data, { epochs: 1 }, asAny({ epochs: 2 }))).rejects.toThrowError(
      'fit: takes the dataset and its options only, got 1 more (an object { epochs: 2 })',
    );
    await expect(trainer.fit(data, { epochs: asAny('2') })).rejects.toThrowError(
      'fit: epochs must be a positive integer, got the string "2"',
    );
  });

  it('evaluate refuses unknown options and a batchSize that is not a positive integer', async () => {
    await expect(trainer.evaluate(data, asAny({ batch_size: 8 }))).rejects.toThrowError(
      "evaluate: unknown option 'batch_size' (did you mean 'batchSize'?)",
    );
    await expect(trainer.evaluate(data, { batchSize: 0 })).rejects.toThrowError('evaluate: batchSize must be a positive integer, got 0');
  });

  it('stateDict takes no arguments and loadStateDict only the state', async () => {
    await expect(trainer.stateDict(asAny({ keepVars: true }))).rejects.toThrowError('DataParallelTrainer.stateDict: takes no arguments');
    await expect(trainer.loadStateDict(asAny({}), asAny(true))).rejects.toThrowError(
      'DataParallelTrainer.loadStateDict: takes the state only, got 1 more (true)',
    );
  });
});

describe('datasets name an argument of the wrong kind', () => {
  it('TensorDataset and textDataset (they threw "Cannot read properties of null")', () => {
    expect(() => new TensorDataset(tensor([1, 2]), asAny(null))).toThrowError('TensorDataset: argument 2 must be a Tensor, got null');
    expect(() => new TensorDataset(asAny([1, 2]))).toThrowError('TensorDataset: argument 1 must be a Tensor, got an array [1, 2]');
    expect(() => textDataset(asAny(null))).toThrowError('textDataset: text must be a string, got null');
    // A string flag was truthy: { shuffle: 'no' } shuffled.
    expect(() => new DataLoader(new TensorDataset(tensor([1, 2])), { shuffle: 'no' } as never)).toThrowError(
      'DataLoader: shuffle must be true or false, got the string "no"',
    );
    expect(() => textDataset('hello world, hello', asAny(null))).toThrowError(
      'textDataset: options must be an object of contextLength, stride, vocabulary, but got null',
    );
  });
});
