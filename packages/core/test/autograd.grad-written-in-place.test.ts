import { describe, expect, it } from 'vitest';
import { full, linear, mul, randn, relu, type Tensor, transpose } from '../src/index.js';

/**
 * A leaf whose `.grad` is flagged `overwriteGrad` (a trainer's gradient slot) may get its gradient
 * written straight into that tensor by the op (linear's weight), instead of a new tensor copied
 * over it. The bits must be those of the copy path (`.grad` null, allocated by backward), whether
 * the weight has one contribution, several (a shared weight), a layout the op cannot write in
 * place, or is both operands of one op.
 */
describe('a gradient written into the .grad it overwrites: the bits of the copy path', () => {
  const bits = (t: Tensor): number[] => Array.from(new Uint8Array(t.contiguous().toArray().buffer));
  const leaf = (shape: number[], dtype: 'float32' | 'float64'): Tensor => {
    const t = randn(shape, { dtype });
    t.requiresGrad = true;
    return t;
  };

  /** Gradients of `leaves` for `loss`, by the copy path, then into 7-filled slots flagged to be overwritten. */
  function bothWays(leaves: Tensor[], loss: () => Tensor): { copied: number[][]; inPlace: number[][]; slots: Tensor[] } {
    for (const l of leaves) l.grad = null;
    loss().backward();
    const copied = leaves.map((l) => bits(l.grad!));
    const slots = leaves.map((l) => full(l.shape, 7, { dtype: l.dtype }));
    leaves.forEach((l, i) => {
      l.grad = slots[i]!;
      l.overwriteGrad = true;
    });
    loss().backward();
    leaves.forEach((l) => expect(l.overwriteGrad).toBe(false));
    return { copied, inPlace: leaves.map((l) => bits(l.grad!)), slots };
  }

  for (const dtype of ['float32', 'float64'] as const) {
    it(`an MLP's weights and biases (${dtype})`, () => {
      const x = randn([16, 40], { dtype });
      const [w1, b1, w2, b2] = [leaf([24, 40], dtype), leaf([24], dtype), leaf([3, 24], dtype), leaf([3], dtype)];
      const leaves = [w1, b1, w2, b2];
      const r = bothWays(leaves, () => mul(linear(relu(linear(x, w1, b1)), w2, b2), linear(relu(linear(x, w1, b1)), w2, b2)).sum());
      expect(r.inPlace).toEqual(r.copied);
      leaves.forEach((l, i) => expect(l.grad).toBe(r.slots[i]));
    });
  }

  it('a weight shared by two layers: the second contribution is added to what the first wrote', () => {
    const x = randn([8, 12]);
    const w = leaf([12, 12], 'float32');
    const r = bothWays([w], () => linear(relu(linear(x, w)), w).sum());
    expect(r.inPlace).toEqual(r.copied);
  });

  it('a column-major weight (written through a transpose, so copied) and a weight that is also the input', () => {
    const x = randn([5, 6]);
    const raw = leaf([6, 4], 'float32');
    const sq = leaf([4, 4], 'float32');
    const r = bothWays([raw, sq], () =>
      linear(linear(x, transpose(raw, 0, 1)), sq)
        .sum()
        .add(linear(sq, sq).sum()),
    );
    expect(r.inPlace).toEqual(r.copied);
  });
});
