import { datasetFromArrays, subset, trainValSplit } from '@loom/parallel';
import { describe, expect, it } from 'vitest';
import { splitData } from '../src/training-data.js';

const bytesOf = (view: ArrayBufferView): Uint8Array => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

function rowsOf(n: number, featureDim: number) {
  // Every value names its row and column, so a misplaced row shows.
  return datasetFromArrays({
    features: Float32Array.from({ length: n * featureDim }, (_, i) => Math.floor(i / featureDim) + (i % featureDim) / 100),
    featureDim,
    targets: Int32Array.from({ length: n }, (_, i) => i),
  });
}

describe('splitData: the train and validation rows as views of the loaded data, in place', () => {
  for (const [n, valSplit, seed] of [
    [1000, 0.1, 0],
    [37, 0.3, 5],
    [2, 0.5, 1],
  ] as const) {
    it(`${n} rows, --val-split ${valSplit}, seed ${seed}: the same rows in the same order as subset() copies`, () => {
      const reference = rowsOf(n, 3);
      const { train: trainRows, val: valRows } = trainValSplit(n, valSplit, seed);
      const expectedTrain = subset(reference, trainRows);
      const expectedVal = subset(reference, valRows);
      const loaded = rowsOf(n, 3);
      const { train, validation } = splitData(loaded, valSplit, seed);
      expect(bytesOf(train.features)).toEqual(bytesOf(expectedTrain.features));
      expect(bytesOf(train.targets)).toEqual(bytesOf(expectedTrain.targets));
      expect(train.length).toBe(trainRows.length);
      expect(validation).not.toBeNull();
      expect(bytesOf(validation!.features)).toEqual(bytesOf(expectedVal.features));
      expect(bytesOf(validation!.targets)).toEqual(bytesOf(expectedVal.targets));
      // No copy: both are views of the loaded dataset's shared memory.
      expect(train.features.buffer).toBe(loaded.features.buffer);
      expect(validation!.features.buffer).toBe(loaded.features.buffer);
      expect(validation!.targets.buffer).toBe(loaded.targets.buffer);
    });
  }

  it('--val-split 0 keeps every row, in order', () => {
    const loaded = rowsOf(5, 2);
    const { train, validation } = splitData(loaded, 0, 0);
    expect(validation).toBeNull();
    expect(train).toBe(loaded);
  });
});
