import { describe, expect, it } from 'vitest';
import { RandomSampler, SequentialSampler, batchRanges, batches, trainValSplit } from '../src/index.js';

function expectPermutation(indices: Int32Array, n: number): void {
  expect(indices).toHaveLength(n);
  expect(Array.from(indices).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
}

describe('SequentialSampler', () => {
  it('visits 0..n-1 in order every epoch', () => {
    const sampler = new SequentialSampler(5);
    expect(Array.from(sampler.indices())).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(sampler.indices(3))).toEqual([0, 1, 2, 3, 4]);
    expect(new SequentialSampler(0).indices()).toHaveLength(0);
  });
});

describe('RandomSampler', () => {
  it('gives every index exactly once per epoch', () => {
    const sampler = new RandomSampler(1000, { seed: 7 });
    for (let epoch = 0; epoch < 3; epoch++) expectPermutation(sampler.indices(epoch), 1000);
    expectPermutation(new RandomSampler(1).indices(0), 1);
  });

  it('depends on (seed, epoch) alone: across calls, call order and instances', () => {
    const a = new RandomSampler(500, { seed: 42 });
    const b = new RandomSampler(500, { seed: 42 });
    const epoch3 = a.indices(3);
    a.indices(0);
    a.indices(9);
    expect(a.indices(3)).toEqual(epoch3);
    expect(b.indices(3)).toEqual(epoch3);
  });

  it('shuffles differently for different epochs and seeds', () => {
    const sampler = new RandomSampler(500, { seed: 42 });
    expect(sampler.indices(0)).not.toEqual(sampler.indices(1));
    expect(new RandomSampler(500, { seed: 43 }).indices(0)).not.toEqual(sampler.indices(0));
    // Not the identity: a permutation that left the order alone would pass the tests above.
    expect(Array.from(sampler.indices(0)).filter((v, i) => v === i).length).toBeLessThan(20);
  });

  it('refuses a bad epoch or seed', () => {
    expect(() => new RandomSampler(3).indices(-1)).toThrow(/epoch must be a non-negative integer/);
    expect(() => new RandomSampler(3, { seed: 0.5 })).toThrow(/seed must be an integer/);
    expect(() => new RandomSampler(-2)).toThrow(/n must be a non-negative integer/);
  });
});

describe('batches', () => {
  const indices = Int32Array.from([9, 8, 7, 6, 5, 4, 3]);

  it('cuts in order and keeps a smaller last batch by default', () => {
    expect(batches(indices, 3).map((b) => Array.from(b))).toEqual([[9, 8, 7], [6, 5, 4], [3]]);
    expect(batchRanges(7, 3)).toEqual([
      [0, 3],
      [3, 6],
      [6, 7],
    ]);
  });

  it('dropLast leaves out the smaller last batch only', () => {
    expect(batches(indices, 3, { dropLast: true }).map((b) => Array.from(b))).toEqual([
      [9, 8, 7],
      [6, 5, 4],
    ]);
    expect(batches(indices.subarray(0, 6), 3, { dropLast: true })).toHaveLength(2);
    expect(batches(indices, 10, { dropLast: true })).toHaveLength(0);
  });

  it('returns views, not copies', () => {
    const first = batches(indices, 3)[0]!;
    expect(first.buffer).toBe(indices.buffer);
  });

  it('refuses a batch size that is not a positive integer', () => {
    expect(() => batches(indices, 0)).toThrow('batchSize should be a positive integer value, but got batchSize=0');
  });
});

describe('trainValSplit', () => {
  it('is disjoint and covering, with ⌊n × valFraction⌋ validation rows', () => {
    const { train, val } = trainValSplit(100, 0.29, 1);
    expect(val).toHaveLength(29);
    expect(train).toHaveLength(71);
    expectPermutation(Int32Array.from([...train, ...val]), 100);
    expect(Array.from(val)).toEqual(Array.from(val).sort((a, b) => a - b));
  });

  it('is reproducible from the seed and changes with it', () => {
    expect(trainValSplit(50, 0.2, 3)).toEqual(trainValSplit(50, 0.2, 3));
    expect(trainValSplit(50, 0.2, 3).val).not.toEqual(trainValSplit(50, 0.2, 4).val);
  });

  it('handles the edges and refuses fractions outside [0, 1]', () => {
    expect(trainValSplit(10, 0, 0).val).toHaveLength(0);
    expect(trainValSplit(10, 1, 0).train).toHaveLength(0);
    expect(() => trainValSplit(10, 1.5)).toThrow('valFraction must be in [0, 1], got 1.5');
  });
});
