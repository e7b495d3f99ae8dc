import { describe, expect, it } from 'vitest';
import { tensor, zeros } from '../src/index.js';

/**
 * In-place arithmetic keeps the destination's dtype, so PyTorch refuses a result of a higher kind
 * (2.5 into an int32 tensor would be truncated, an int into a bool byte would store 2). Messages
 * as torch 2.x prints them (RuntimeError there), checked against /usr/bin/python3's torch.
 */
const ints = () => zeros([3], { dtype: 'int32' });
const bools = () => zeros([3], { dtype: 'bool' });

describe('in-place ops refuse a result their dtype cannot hold, as PyTorch does', () => {
  it('a float into an int32 tensor: add_, mul_ with a fractional number or a float tensor', () => {
    expect(() => ints().add_(2.5)).toThrow("add_: result type Float can't be cast to the desired output type Int");
    expect(() => ints().add_(tensor([1, 1, 1]))).toThrow("add_: result type Float can't be cast to the desired output type Int");
    expect(() => ints().add_(tensor([1, 1, 1], { dtype: 'float64' }))).toThrow(
      "add_: result type Double can't be cast to the desired output type Int",
    );
    expect(() => ints().mul_(0.5)).toThrow("mul_: result type Float can't be cast to the desired output type Int");
    expect(() => ints().add_(NaN)).toThrow("add_: result type Float can't be cast");
  });

  it("add_'s alpha must be integral for an int32 tensor and 1 for a bool one", () => {
    expect(() => ints().add_(tensor([1, 1, 1], { dtype: 'int32' }), 0.5)).toThrow(
      'add_: For integral input tensors, argument alpha must not be a floating point number',
    );
    expect(() => bools().add_(tensor([true, false, true], { dtype: 'bool' }), 2)).toThrow(
      'add_: Boolean alpha only supported for Boolean results',
    );
  });

  it('anything but a bool tensor into a bool tensor', () => {
    expect(() => bools().add_(1)).toThrow("add_: result type Long can't be cast to the desired output type Bool");
    expect(() => bools().mul_(tensor([1, 1, 1], { dtype: 'int32' }))).toThrow(
      "mul_: result type Int can't be cast to the desired output type Bool",
    );
    expect(() => bools().add_(tensor([1, 0, 1]))).toThrow("add_: result type Float can't be cast to the desired output type Bool");
  });

  it('what PyTorch allows still works: integers into int32, same-kind tensors, bool + bool as logical or', () => {
    expect(Array.from(ints().add_(2).data())).toEqual([2, 2, 2]);
    expect(
      Array.from(
        ints()
          .add_(tensor([1, 2, 3], { dtype: 'int32' }), 2)
          .data(),
      ),
    ).toEqual([2, 4, 6]);
    expect(
      Array.from(
        zeros([3])
          .add_(tensor([1, 2, 3], { dtype: 'int32' }))
          .data(),
      ),
    ).toEqual([1, 2, 3]);
    expect(
      Array.from(
        zeros([3])
          .add_(tensor([0.5, 1, 2], { dtype: 'float64' }))
          .data(),
      ),
    ).toEqual([0.5, 1, 2]);
    // torch: tensor([T, F, F]) += tensor([T, T, F]) gives [T, T, F], stored as 1s (a sum stored 2).
    const b = tensor([true, false, false], { dtype: 'bool' }).add_(tensor([true, true, false], { dtype: 'bool' }));
    expect(Array.from(b.data())).toEqual([1, 1, 0]);
    expect(
      Array.from(
        tensor([true, true, false], { dtype: 'bool' })
          .mul_(tensor([true, false, true], { dtype: 'bool' }))
          .data(),
      ),
    ).toEqual([1, 0, 0]);
  });

  it('fill_ refuses a value the dtype cannot hold and truncates a fraction into int32, as PyTorch', () => {
    expect(() => ints().fill_(NaN)).toThrow('fill_: value cannot be converted to type int without overflow');
    expect(() => ints().fill_(Infinity)).toThrow('fill_: value cannot be converted to type int without overflow');
    expect(() => ints().fill_(3e10)).toThrow('fill_: value cannot be converted to type int without overflow');
    expect(() => zeros([2]).fill_(1e40)).toThrow('fill_: value cannot be converted to type float without overflow');
    expect(Array.from(ints().fill_(2.5).data())).toEqual([2, 2, 2]);
    expect(Array.from(ints().fill_(-2147483648).data())).toEqual([-2147483648, -2147483648, -2147483648]);
    expect(Array.from(zeros([2]).fill_(-Infinity).data())).toEqual([-Infinity, -Infinity]);
    expect(Array.from(bools().fill_(5).data())).toEqual([1, 1, 1]);
  });
});
