import { describe, expect, it } from 'vitest';
import { defaultTrainConfig, mergeTrainConfig, type TrainConfig, UsageError, validateTrainConfig } from '../src/index.js';

/** The config functions a script calls in-process: what an audit found them accepting silently. */
const asAny = <T>(value: unknown): T => value as T;

describe('a train config built in code is as strict as one from a file or the command line', () => {
  it('mergeTrainConfig refuses an unknown or snake_case key in a layer (it was copied into the config and never read)', () => {
    expect(() => mergeTrainConfig(defaultTrainConfig(), asAny({ batch_size: 32 }))).toThrow(
      "mergeTrainConfig: layer 1: unknown option 'batch_size' (did you mean 'batchSize'?)",
    );
    expect(mergeTrainConfig(defaultTrainConfig(), { batchSize: 32 }).batchSize).toBe(32);
  });

  it('validateTrainConfig refuses an unknown key and a value outside a setting\'s choices (onNan: "avg" passed)', () => {
    const config = (extra: Record<string, unknown>): TrainConfig => ({ ...defaultTrainConfig(), ...extra }) as TrainConfig;
    expect(() => validateTrainConfig(config({ bogusKey: 1 }))).toThrow("validateTrainConfig: unknown option 'bogusKey'");
    expect(() => validateTrainConfig(config({ onNan: 'avg' }))).toThrow(new UsageError('--on-nan must be one of stop, skip, got "avg"'));
    expect(() => validateTrainConfig(config({ onNan: 'skip' }))).not.toThrow();
  });
});
