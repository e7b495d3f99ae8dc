import { Tensor, memoryContext, withArena } from '@loom/core';
import { describe, expect, it } from 'vitest';
import { datasetFromArrays, gatherBatch, subset } from '../src/index.js';

const features = Float32Array.from({ length: 12 }, (_, i) => i / 4);
const ds = datasetFromArrays({ features, featureShape: [1, 3], targets: Uint8Array.from([3, 1, 0, 2]) });

describe('datasetFromArrays', () => {
  it('copies into shared memory and infers class targets from integer arrays', () => {
    expect(ds.length).toBe(4);
    expect(ds.featureDim).toBe(3);
    expect(ds.features.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(ds.targets).toBeInstanceOf(Int32Array);
    expect(ds.targetKind).toBe('class');
    expect(ds.numClasses).toBe(4);
    expect(ds.targetName).toBe('label');
  });

  it('uses shared float32 arrays as they are', () => {
    const shared = new Float32Array(new SharedArrayBuffer(16));
    expect(datasetFromArrays({ features: shared, featureDim: 2, targets: [0.5, 1] }).features).toBe(shared);
  });

  it('refuses inconsistent sizes', () => {
    expect(() => datasetFromArrays({ features, featureDim: 5, targets: [0] })).toThrow(
      'datasetFromArrays: features has 12 values, not a multiple of featureDim 5',
    );
    expect(() => datasetFromArrays({ features, featureDim: 3, targets: [0, 1] })).toThrow(
      'targets has 2 values but 4 rows × 1 values per target need 4',
    );
    expect(() => datasetFromArrays({ features, featureDim: 3, targets: Int32Array.from([0, 1, 2, 3]), numClasses: 3 })).toThrow(
      /numClasses 3 must be an integer greater than the largest class index 3/,
    );
  });
});

describe('gatherBatch', () => {
  it('copies the chosen rows into new tensors of shape [B, ...featureShape]', () => {
    const batch = gatherBatch(ds, [2, 0]);
    expect(batch.features.shape).toEqual([2, 1, 3]);
    expect(Array.from(batch.features.toArray())).toEqual([1.5, 1.75, 2, 0, 0.25, 0.5]);
    expect(batch.targets.dtype).toBe('int32');
    expect(Array.from(batch.targets.toArray())).toEqual([0, 3]);
  });

  it('writes into given tensors without allocating, inside an arena too', () => {
    const into = { features: Tensor.empty([2, 1, 3]), targets: Tensor.empty([2], 'int32') };
    const rows = Int32Array.from([3, 1]);
    withArena(() => {
      const before = memoryContext().arena.mark();
      expect(gatherBatch(ds, rows, into)).toBe(into);
      expect(memoryContext().arena.mark()).toEqual(before);
    });
    expect(Array.from(into.features.toArray())).toEqual([2.25, 2.5, 2.75, 0.75, 1, 1.25]);
    expect(Array.from(into.targets.toArray())).toEqual([2, 1]);
  });

  it('gathers float target vectors', () => {
    const probs = datasetFromArrays({ features: [1, 2], featureDim: 1, targets: [0.25, 0.75, 1, 0], targetShape: [2] });
    const batch = gatherBatch(probs, [1]);
    expect(batch.targets.shape).toEqual([1, 2]);
    expect(Array.from(batch.targets.toArray())).toEqual([1, 0]);
  });

  it('refuses out-of-range rows and mismatched tensors', () => {
    expect(() => gatherBatch(ds, [0, 4])).toThrow('gatherBatch: index 4 at position 1 is out of range for a dataset of 4 rows');
    const wrong = { features: Tensor.empty([2, 3]), targets: Tensor.empty([2], 'int32') };
    expect(() => gatherBatch(ds, [0, 1], wrong)).toThrow(
      'gatherBatch: into.features must be a contiguous float32 tensor of shape [2,1,3], got float32 [2,3]',
    );
  });
});

describe('subset', () => {
  it('copies the rows in the given order and keeps numClasses', () => {
    const part = subset(ds, [1, 2]);
    expect(part.length).toBe(2);
    expect(Array.from(part.features)).toEqual([0.75, 1, 1.25, 1.5, 1.75, 2]);
    expect(Array.from(part.targets)).toEqual([1, 0]);
    expect(part.numClasses).toBe(4);
    expect(part.features.buffer).not.toBe(ds.features.buffer);
    expect(part.features.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});
