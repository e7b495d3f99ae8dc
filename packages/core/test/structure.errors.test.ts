import { describe, expect, it } from 'vitest';
import {
  avgPool2d,
  cat,
  conv2d,
  dropout,
  embedding,
  gather,
  indexSelect,
  layerNorm,
  maxPool2d,
  stack,
  tensor,
  zeros,
} from '../src/index.js';

const ids = (values: number[]) => tensor(Int32Array.from(values));

describe('structure ops reject bad input with the values at fault', () => {
  it('conv2d: channel mismatch names both shapes', () => {
    expect(() => conv2d(zeros([2, 5, 6, 6]), zeros([4, 3, 3, 3]))).toThrow(
      /weight of size \[4,3,3,3\].*input \[2,5,6,6\].*3 channels.*got 5/,
    );
  });

  it('conv2d: groups that do not divide the channels, padding same with a stride, a kernel larger than the input, a bad stride', () => {
    expect(() => conv2d(zeros([1, 3, 4, 4]), zeros([2, 1, 3, 3]), null, { groups: 2 })).toThrow(
      /groups=2 must be a positive integer dividing the 3 input and 2 output channels/,
    );
    expect(() => conv2d(zeros([1, 4, 4, 4]), zeros([2, 1, 3, 3]), null, { groups: 2 })).toThrow(
      /\(groups=2\) expects input \[1,4,4,4\] to have 2 channels/,
    );
    expect(() => conv2d(zeros([1, 1, 4, 4]), zeros([1, 1, 3, 3]), null, { padding: 'same', stride: 2 })).toThrow(
      /padding='same' is not supported for strided convolutions/,
    );
    expect(() => conv2d(zeros([1, 1, 4, 4]), zeros([1, 1, 3, 3]), null, { padding: 'full' as 'same' })).toThrow(
      /padding must be 'same', 'valid' or sizes, got 'full'/,
    );
    expect(() => conv2d(zeros([1, 1, 2, 2]), zeros([1, 1, 3, 3]))).toThrow(/\(2 x 2\).*\(3 x 3\)/);
    expect(() => conv2d(zeros([1, 1, 4, 4]), zeros([1, 1, 3, 3]), null, { stride: 0 })).toThrow(/stride must be an integer ≥ 1/);
    expect(() => conv2d(zeros([1, 1, 4, 4]), zeros([1, 1, 3, 3]), zeros([2]))).toThrow(/bias must be \[1\]/);
  });

  it('embedding: index out of range names the index and the number of embeddings', () => {
    expect(() => embedding(ids([1, 10]), zeros([10, 3]))).toThrow(/index 10 is out of range for 10 embeddings/);
    expect(() => embedding(ids([-1]), zeros([10, 3]))).toThrow(/index -1 /);
    expect(() => embedding(tensor([1]), zeros([10, 3]))).toThrow(/int32 index/);
  });

  it('gather and indexSelect: index out of bounds names the index and the size', () => {
    expect(() => gather(zeros([2, 3]), 1, tensor(Int32Array.from([0, 3]), { shape: [2, 1] }))).toThrow(
      /index 3 is out of bounds for dimension 1 with size 3/,
    );
    expect(() => indexSelect(zeros([2, 3]), 0, ids([2]))).toThrow(/index 2 is out of bounds for dimension 0 with size 2/);
    expect(() => gather(zeros([2, 3]), 0, tensor(Int32Array.from([0, 0, 0, 0]), { shape: [1, 4] }))).toThrow(/\[1,4\].*\[2,3\]/);
  });

  it('cat and stack: mismatched shapes or dtypes', () => {
    expect(() => cat([zeros([2, 3]), zeros([2, 4])], 0)).toThrow(/except in dimension 0.*\[2,3\].*\[2,4\]/);
    expect(() => cat([zeros([2, 3]), zeros([2, 3], { dtype: 'float64' })])).toThrow(/dtype float32.*float64/);
    expect(() => cat([])).toThrow(/non-empty/);
    expect(() => stack([zeros([2]), zeros([3])])).toThrow(/\[2\] at entry 0 and \[3\] at entry 1/);
  });

  it('pooling, layerNorm and dropout', () => {
    expect(() => maxPool2d(zeros([1, 1, 4, 4]), { kernelSize: 2, padding: 2 })).toThrow(/at most half of kernel size/);
    expect(() => avgPool2d(zeros([4, 4]), { kernelSize: 2 })).toThrow(/got input of size \[4,4\]/);
    expect(() => layerNorm(zeros([2, 3]), [4])).toThrow(/normalizedShape=\[4\].*\[2,3\]/);
    expect(() => dropout(zeros([2]), 1.5)).toThrow(/between 0 and 1, but got 1.5/);
  });
});
