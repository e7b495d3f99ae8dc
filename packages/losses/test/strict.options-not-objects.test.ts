import { describe, expect, it } from 'vitest';
import * as losses from '../src/index.js';
import { createLoss, LOSS_NAMES, lossClassName } from '../src/index.js';

/**
 * Options that are not a plain object: `new CrossEntropyLoss(null)` threw "Cannot read properties of null".
 * A class names itself (NLLLoss2d is PyTorch's alias of NLLLoss, the same class).
 */
const asAny = <T>(value: unknown): T => value as T;
type LossClass = new (options?: unknown) => unknown;
const classes = [...new Set(LOSS_NAMES.map(lossClassName))];

describe('every loss class and createLoss refuse options that are not a plain object', () => {
  it.each(classes)('%s(null), (0.1), ("mean"), ([]) throw naming the class and its options', (name) => {
    const Loss = (losses as unknown as Record<string, LossClass>)[name]!;
    for (const [bad, shown] of [
      [null, 'null'],
      [0.1, '0.1'],
      ['mean', 'the string "mean"'],
      [[], 'an array []'],
    ] as const) {
      expect(() => new Loss(bad)).toThrowError(
        new RegExp(`^${Loss.name}: options must be an object of reduction.*, but got ${shown.replace(/[[\]]/g, '\\$&')}$`),
      );
      expect(() => createLoss(name, asAny(bad))).toThrowError(`createLoss: ${name}: options must be an object of reduction`);
    }
    expect(new Loss(undefined)).toBeInstanceOf(Loss);
  });

  it('an unknown name that is not a string is shown as what it is', () => {
    expect(() => createLoss(asAny({ name: 'MSELoss' }))).toThrowError(
      "createLoss: unknown loss an object { name: 'MSELoss' }".replace("'MSELoss'", '"MSELoss"'),
    );
  });
});
