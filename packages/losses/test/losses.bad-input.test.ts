import { ones, randn, tensor, zeros } from '@loom/core';
import { describe, expect, it } from 'vitest';
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  l1Loss,
  marginRankingLoss,
  mseLoss,
  nllLoss,
} from '../src/index.js';

const f64 = { dtype: 'float64' } as const;
const logits = randn([5, 4], f64);
const classes = tensor(Int32Array.from([0, 1, 2, 3, 1]));

describe('bad input is a clear error thrown before any arithmetic', () => {
  it('mismatched batch sizes', () => {
    expect(() => crossEntropy(logits, tensor(Int32Array.from([0, 1, 2])))).toThrow(
      'crossEntropy: expected input batch_size (5) to match target batch_size (3)',
    );
    expect(() => nllLoss(logits, tensor(Int32Array.from([0, 1, 2, 3])))).toThrow(
      /nllLoss: expected input batch_size \(5\) to match target batch_size \(4\)/,
    );
  });

  it('wrong target shape', () => {
    expect(() => nllLoss(randn([2, 4, 2, 3], f64), zeros([2, 2, 2], { dtype: 'int32' }))).toThrow(
      /nllLoss: target of shape \[2,2,2\] does not fit input of shape \[2,4,2,3\]: expected \[2,2,3\]/,
    );
    expect(() => mseLoss(logits, randn([5], f64))).toThrow(
      /the size of tensor a \(4\) must match the size of tensor b \(5\) at non-singleton dimension 1/,
    );
    expect(() => binaryCrossEntropy(ones([5, 4], f64).mul(0.5), ones([5, 3], f64))).toThrow(
      /target size \[5,3\] must be the same as input size \[5,4\]/,
    );
    expect(() => binaryCrossEntropyWithLogits(logits, ones([4, 4], f64))).toThrow(
      /target size \[4,4\] must be the same as input size \[5,4\]/,
    );
    expect(() => marginRankingLoss(randn([3], f64), randn([3], f64), ones([1, 3], f64))).toThrow(/same number of dimensions/);
  });

  it('class index out of range, naming the index and the number of classes', () => {
    expect(() => crossEntropy(logits, tensor(Int32Array.from([0, 1, 4, 3, 1])))).toThrow(
      'crossEntropy: Target 4 is out of bounds: class indices must lie in [0, 4) for 4 classes (target element 2)',
    );
    expect(() => nllLoss(logits, tensor(Int32Array.from([0, -1, 2, 3, 1])))).toThrow(/Target -1 is out of bounds: .* for 4 classes/);
    // The ignored index itself may lie outside [0, C).
    expect(Number.isFinite(crossEntropy(logits, tensor(Int32Array.from([0, -100, 2, 3, 1]))).item())).toBe(true);
  });

  it('weights whose length is not the number of classes', () => {
    expect(() => crossEntropy(logits, classes, { weight: ones([3], f64) })).toThrow(
      /weight tensor should be defined either for all 4 classes or no classes but got weight tensor of shape \[3\]/,
    );
    expect(() => nllLoss(logits, classes, { weight: ones([2, 2], f64) })).toThrow(/weight must be a 1-D tensor/);
    expect(() => binaryCrossEntropyWithLogits(logits, ones([5, 4], f64), { posWeight: ones([3], f64) })).toThrow(
      /posWeight of shape \[3\]/,
    );
  });

  it('a float target where class indices are required says so', () => {
    expect(() => nllLoss(logits, tensor([0, 1, 2, 3, 1], f64))).toThrow(
      /expected class indices, an int32 target of shape \[5\], but got a float64 target/,
    );
    expect(() => crossEntropy(logits, ones([5, 3], f64))).toThrow(
      /float target is read as class probabilities only when it has the input's shape \[5,4\]/,
    );
    expect(() => crossEntropy(logits, zeros([5, 4], { dtype: 'int32' }))).toThrow(
      /holds class probabilities and must be floating point, got int32/,
    );
    expect(() => crossEntropy(logits, ones([5, 4], f64), { ignoreIndex: 0 })).toThrow(/ignoreIndex \(0\) is not supported/);
  });

  it('inputs outside [0, 1] for BCE and non-tensors', () => {
    expect(() => binaryCrossEntropy(tensor([0.5, 1.5], f64), tensor([0, 1], f64))).toThrow(
      'binaryCrossEntropy: all elements of input should be between 0 and 1 (element 1 is 1.5)',
    );
    expect(() => binaryCrossEntropy(tensor([0.5, NaN], f64), tensor([0, 1], f64))).toThrow(/element 1 is NaN/);
    expect(() => l1Loss([1, 2] as never, logits)).toThrow('l1Loss: input must be a Tensor, got an array [1, 2]');
    expect(() => crossEntropy(tensor(Int32Array.from([1, 2])), classes)).toThrow(/input must be a floating-point tensor/);
  });

  it('leaves NaN only where PyTorch gives it: a mean over all-ignored targets', () => {
    const x = randn([3, 4], f64);
    x.requiresGrad = true;
    const loss = crossEntropy(x, tensor(Int32Array.from([1, 1, 1])), { ignoreIndex: 1 });
    expect(loss.item()).toBeNaN();
    loss.backward();
    expect(Array.from(x.grad!.toArray())).toEqual(new Array(12).fill(0));
  });
});
