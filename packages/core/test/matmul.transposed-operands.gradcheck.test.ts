import { describe, expect, it } from 'vitest';
import { gradcheck, linear, matmul, randn, transpose } from '../src/index.js';

describe('matmul gradients of transposed operands (computed as the transposed swapped product)', () => {
  const leaf = (shape: number[]) => {
    const t = randn(shape, { dtype: 'float64' });
    t.requiresGrad = true;
    return t;
  };

  it('linear: the weight is a transposed view', () => {
    expect(gradcheck((x, w, b) => linear(x, w, b), [leaf([5, 3]), leaf([4, 3]), leaf([4])])).toBe(true);
  });

  it('both operands transposed, batched and broadcast', () => {
    expect(gradcheck((a, b) => matmul(transpose(a, -1, -2), transpose(b, -1, -2)), [leaf([2, 3, 5]), leaf([4, 3])])).toBe(true);
  });

  it('leaves the weight gradient contiguous', () => {
    const x = leaf([6, 3]);
    const w = leaf([2, 3]);
    linear(x, w).sum().backward();
    expect(w.grad!.isContiguous()).toBe(true);
  });
});
