import { describe, expect, it } from 'vitest';
import { tensor } from '@loom/core';
import { lossNormalizer, type LossName, type LossOptions } from '@loom/losses';
import { datasetFromArrays } from '../dist/index.js';
import { batchNormalizer } from '../dist/data/batch-normalizer.js';

const targets = Int32Array.from([0, 2, 1, 2, 3, 2, 0, 1, 2, 3]);
const data = datasetFromArrays({ features: new Float32Array(targets.length), featureShape: [1], targets, numClasses: 4 });
const rows = Int32Array.from([9, 1, 3, 3, 0, 5, 7]);

/** lossNormalizer on the rows' targets as a tensor: the reference the trainer's step count must equal. */
function reference(name: LossName, options: LossOptions): number {
  return lossNormalizer(name, options, tensor(Int32Array.from(rows, (r) => targets[r]!)));
}

/** The trainer's per-step normaliser counts class targets without tensors; it must be lossNormalizer's number. */
describe('batchNormalizer: the count of class targets is lossNormalizer’s', () => {
  it.each([
    ['CrossEntropyLoss', {}],
    ['CrossEntropyLoss', { ignoreIndex: 2 }],
    ['NLLLoss', { ignoreIndex: 0 }],
    ['CrossEntropyLoss', { labelSmoothing: 0.1 }],
    ['CrossEntropyLoss', { weight: [1, 2, 0.5, 4] }],
  ] as [LossName, LossOptions][])('%s %j', (name, options) => {
    expect(batchNormalizer({ name, options }, data, rows)).toBe(reference(name, options));
  });

  it('refuses what lossNormalizer refuses: smoothing with ignored targets, a negative class', () => {
    const message = /labelSmoothing, no weight and ignored targets/;
    expect(() => reference('CrossEntropyLoss', { labelSmoothing: 0.1, ignoreIndex: 2 })).toThrow(message);
    expect(() => batchNormalizer({ name: 'CrossEntropyLoss', options: { labelSmoothing: 0.1, ignoreIndex: 2 } }, data, rows)).toThrow(
      message,
    );
    const negative = datasetFromArrays({
      features: new Float32Array(2),
      featureShape: [1],
      targets: Int32Array.from([1, -3]),
      numClasses: 2,
    });
    expect(() => batchNormalizer({ name: 'CrossEntropyLoss' }, negative, Int32Array.from([0, 1]))).toThrow(/Target -3 is out of bounds/);
  });
});
