import { describe, expect, it } from 'vitest';
import { gradcheck, gruCell, lstmCell, matmul, randn, scaledDotProductAttention, tensor, type Tensor } from '../src/index.js';

const leaf = (shape: number[]): Tensor => randn(shape, { dtype: 'float64' }).requiresGrad_();

describe('gradients of the ops under attention and recurrence (finite differences, float64)', () => {
  it('batched matmul over leading dims, as attention uses it ([N, H, L, d]·[N, H, d, S])', () => {
    expect(gradcheck((a, b) => matmul(a, b), [leaf([2, 3, 4, 5]), leaf([2, 3, 5, 2])])).toBe(true);
  });

  it('batched matmul broadcasting a shared matrix against a batch, both sides', () => {
    expect(gradcheck((a, b) => matmul(a, b), [leaf([4, 5]), leaf([2, 3, 5, 2])])).toBe(true);
    expect(gradcheck((a, b) => matmul(a, b), [leaf([2, 1, 4, 5]), leaf([3, 5, 2])])).toBe(true);
  });

  it('scaled dot-product attention, with an additive float mask that carries a gradient', () => {
    expect(
      gradcheck(
        (q, k, v, m) => scaledDotProductAttention(q, k, v, { attnMask: m })[0],
        [leaf([2, 3, 4]), leaf([2, 5, 4]), leaf([2, 5, 3]), leaf([3, 5])],
      ),
    ).toBe(true);
    expect(
      gradcheck(
        (q, k, v, m) => scaledDotProductAttention(q, k, v, { attnMask: m })[1],
        [leaf([2, 3, 4]), leaf([2, 5, 4]), leaf([2, 5, 3]), leaf([3, 5])],
      ),
    ).toBe(true);
  });

  it('a bool mask removes keys: the weights there are exactly 0 and the rest renormalise', () => {
    const mask = tensor([[false, true, false]], { dtype: 'bool' });
    const [, w] = scaledDotProductAttention(
      randn([2, 1, 4], { dtype: 'float64' }),
      randn([2, 3, 4], { dtype: 'float64' }),
      randn([2, 3, 2], { dtype: 'float64' }),
      { attnMask: mask },
    );
    const values = w.toArray();
    expect([values[1], values[4]]).toEqual([0, 0]);
    expect(values[0]! + values[2]!).toBeCloseTo(1, 14);
    expect(
      gradcheck(
        (q, k, v) => scaledDotProductAttention(q, k, v, { attnMask: mask })[0],
        [leaf([2, 1, 4]), leaf([2, 3, 4]), leaf([2, 3, 2])],
      ),
    ).toBe(true);
  });

  it('lstmCell and gruCell, every input and weight', () => {
    expect(
      gradcheck(
        (x, h, c, wi, wh, bi, bh) =>
          lstmCell(x, h, c, { weightIh: wi, weightHh: wh, biasIh: bi, biasHh: bh })[1].add(
            lstmCell(x, h, c, { weightIh: wi, weightHh: wh, biasIh: bi, biasHh: bh })[0],
          ),
        [leaf([2, 3]), leaf([2, 2]), leaf([2, 2]), leaf([8, 3]), leaf([8, 2]), leaf([8]), leaf([8])],
      ),
    ).toBe(true);
    expect(
      gradcheck(
        (x, h, wi, wh, bi, bh) => gruCell(x, h, { weightIh: wi, weightHh: wh, biasIh: bi, biasHh: bh }),
        [leaf([2, 3]), leaf([2, 2]), leaf([6, 3]), leaf([6, 2]), leaf([6]), leaf([6])],
      ),
    ).toBe(true);
  });
});
