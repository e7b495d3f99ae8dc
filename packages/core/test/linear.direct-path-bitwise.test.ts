import { describe, expect, it } from 'vitest';
import { add, gradcheck, linear, matmul, randn, type Tensor, transpose } from '../src/index.js';

/**
 * linear() on a matrix computes x·Wᵀ without building the transposed views; its values and
 * gradients must be the very bits of the composition it replaces, matmul(x, transpose(W)) + b,
 * whatever the operands' layouts (each layout picks another kernel call in the backward).
 */
describe('linear on a matrix: the same bits as matmul(x, transpose(W)) + b', () => {
  const leaf = (shape: number[], dtype: 'float32' | 'float64' = 'float32'): Tensor => {
    const t = randn(shape, { dtype });
    t.requiresGrad = true;
    return t;
  };
  const bits = (t: Tensor): number[] => Array.from(new Uint8Array(t.contiguous().toArray().buffer));
  const same = (t: Tensor): Tensor => t;
  const flip = (t: Tensor): Tensor => transpose(t, 0, 1);
  // Leaves' shapes, and how x and W are taken from their leaves (as they are, or transposed).
  const cases: [string, number[], number[], number[] | null, (t: Tensor) => Tensor, (t: Tensor) => Tensor][] = [
    ['row-major operands', [7, 5], [3, 5], [3], same, same],
    ['no bias', [7, 5], [3, 5], null, same, same],
    ['a one-row weight', [7, 5], [1, 5], [1], same, same],
    ['a column-major input', [5, 7], [3, 5], [3], flip, same],
    ['a column-major weight', [7, 5], [5, 3], [3], same, flip],
  ];

  for (const [name, xShape, wShape, bShape, xOf, wOf] of cases) {
    it(name, () => {
      const leaves = [leaf(xShape), leaf(wShape), ...(bShape ? [leaf(bShape)] : [])];
      const [xl, wl, b] = leaves as [Tensor, Tensor, Tensor | undefined];
      const out = linear(xOf(xl), wOf(wl), b ?? null);
      const grad = randn(out.shape);
      out.backward(grad);
      const direct = leaves.map((l) => bits(l.grad!));
      for (const l of leaves) l.grad = null;
      const y = matmul(xOf(xl), transpose(wOf(wl), 0, 1));
      const ref = b ? add(y, b) : y;
      ref.backward(grad);
      expect(bits(out)).toEqual(bits(ref));
      leaves.forEach((l, i) => expect(bits(l.grad!)).toEqual(direct[i]));
    });
  }

  it('passes gradcheck in float64 with column-major operands', () => {
    expect(
      gradcheck((x, w, b) => linear(flip(x), flip(w), b), [leaf([4, 6], 'float64'), leaf([4, 3], 'float64'), leaf([3], 'float64')]),
    ).toBe(true);
  });
});
