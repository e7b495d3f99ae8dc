import { describe, expect, it } from 'vitest';
import { gradcheck, matmul, randn, tensor, zeros, withArena, memoryContext, sum, linear } from '../src/index.js';

describe('autograd on the base ops', () => {
  it('computes y = sum((x·W + b)²) gradients as finite differences do', () => {
    const x = randn([3, 4], { dtype: 'float64' });
    const w = randn([4, 2], { dtype: 'float64', requiresGrad: true });
    const b = randn([2], { dtype: 'float64', requiresGrad: true });
    expect(
      gradcheck(
        (w, b) => {
          const y = matmul(x, w!).add(b!);
          return y.mul(y);
        },
        [w, b],
      ),
    ).toBe(true);
  });

  it('handles broadcasting, views and batched matmul', () => {
    const a = randn([2, 3, 4], { dtype: 'float64', requiresGrad: true });
    const b = randn([4, 5], { dtype: 'float64', requiresGrad: true });
    expect(
      gradcheck(
        (a, b) =>
          matmul(a!.transpose(1, 2).transpose(1, 2), b!)
            .sum(1)
            .div(a!.narrow(2, 1, 1).sum(1).add(10)),
        [a, b],
      ),
    ).toBe(true);
  });

  it('refuses backward on a non-scalar without a gradient', () => {
    const x = randn([3], { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(/only for scalar outputs/);
  });

  it('matmul names the shapes it cannot multiply', () => {
    expect(() => matmul(zeros([2, 3]), zeros([4, 5]))).toThrow('matmul: cannot multiply [2,3] by [4,5]');
  });

  it('arena steps do not raise the high-water mark', () => {
    const w = randn([8, 4], { requiresGrad: true });
    const step = () =>
      withArena(() => {
        const l = sum(linear(randn([16, 4]), w));
        l.backward();
        return l.item();
      });
    step();
    const hw = memoryContext().allocator.highWater;
    for (let i = 0; i < 5; i++) step();
    expect(memoryContext().allocator.highWater).toBe(hw);
    expect(tensor([1, 2]).tolist()).toEqual([1, 2]);
  });
});
