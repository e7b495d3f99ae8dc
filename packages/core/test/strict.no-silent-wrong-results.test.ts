import { describe, expect, it } from 'vitest';
import {
  arange,
  full,
  fullLike,
  gradcheck,
  linspace,
  logsumexp,
  mean,
  randint,
  randperm,
  scalar,
  scaledDotProductAttention,
  std,
  sum,
  sumTo,
  tensor,
  to,
  variance,
  zeros,
} from '../src/index.js';

// Expected values are PyTorch 1.13's, worked by hand (torch.tensor(...).to(torch.bool) etc.).
describe('numbers written into a bool tensor are true when non-zero, as PyTorch casts them', () => {
  it('to(bool) stores 1 for every non-zero value, NaN included, and 0 for ±0', () => {
    const b = to(tensor([0.5, 2, -1, 0, NaN, -0, 256]), 'bool');
    expect(b.dtype).toBe('bool');
    expect(Array.from(b.data())).toEqual([1, 1, 1, 0, 1, 0, 1]);
    expect(b.tolist()).toEqual([true, true, true, false, true, false, true]);
  });

  it('to(bool) converts int32 and strided (transposed) sources too', () => {
    expect(Array.from(to(tensor([0, 2, -1, 256], { dtype: 'int32' }), 'bool').data())).toEqual([0, 1, 1, 1]);
    const t = tensor([
      [0, 0.5],
      [-3, 0],
    ]).t();
    expect(Array.from(to(t, 'bool').data())).toEqual([0, 1, 1, 0]);
  });

  it('full, fullLike, scalar and tensor(..., { dtype: bool }) store true as 1', () => {
    expect(Array.from(full([2], 2.5, { dtype: 'bool' }).data())).toEqual([1, 1]);
    expect(Array.from(full([2], NaN, { dtype: 'bool' }).data())).toEqual([1, 1]);
    expect(Array.from(fullLike(zeros([3], { dtype: 'bool' }), -1).data())).toEqual([1, 1, 1]);
    expect(Array.from(scalar(0.25, 'bool').data())).toEqual([1]);
    expect(Array.from(tensor([0.5, 2, -1, 0], { dtype: 'bool' }).data())).toEqual([1, 1, 1, 0]);
    expect(Array.from(tensor(Uint8Array.from([0, 2, 255])).data())).toEqual([0, 1, 1]);
  });

  it('fill_ and copy_ into a bool tensor store true as 1', () => {
    expect(Array.from(zeros([3], { dtype: 'bool' }).fill_(0.25).data())).toEqual([1, 1, 1]);
    expect(
      Array.from(
        zeros([3], { dtype: 'bool' })
          .copy_(tensor([0.5, 0, -3]))
          .data(),
      ),
    ).toEqual([1, 0, 1]);
    expect(Array.from(zeros([3], { dtype: 'bool' }).copy_(tensor(0.5)).data())).toEqual([1, 1, 1]);
  });

  it('ranges and permutations refuse bool, as PyTorch does; randint allows it only within [0, 2]', () => {
    expect(() => arange(0, 3, 1, { dtype: 'bool' })).toThrow(/arange: dtype bool is not supported/);
    expect(() => linspace(0, 1, 3, { dtype: 'bool' })).toThrow(/linspace: dtype bool is not supported/);
    expect(() => randperm(3, { dtype: 'bool' })).toThrow(/randperm: dtype bool is not supported/);
    expect(() => randint(0, 5, [4], { dtype: 'bool' })).toThrow(/randint: dtype bool holds only 0 and 1/);
    const bits = Array.from(randint(0, 2, [64], { dtype: 'bool' }).data());
    expect(bits.every((v) => v === 0 || v === 1)).toBe(true);
  });
});

describe('sumTo sums only to a shape that broadcasts to the input', () => {
  const t = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it('refuses a shape that is not a broadcast of the input, naming both', () => {
    expect(() => sumTo(t, [3, 2])).toThrow(/sumTo: shape \[3,2\] does not broadcast to \[2,3\]/);
    expect(() => sumTo(t, [2])).toThrow(/shape \[2\] does not broadcast to \[2,3\]/);
    expect(() => sumTo(t, [4, 2, 3])).toThrow(/shape \[4,2,3\] does not broadcast to \[2,3\]/);
  });

  it('still sums the broadcast dims of a valid shape', () => {
    expect(sumTo(t, [3]).tolist()).toEqual([5, 7, 9]);
    expect(sumTo(t, [1, 3]).tolist()).toEqual([[5, 7, 9]]);
    expect(sumTo(t, [2, 1]).tolist()).toEqual([[6], [15]]);
    expect(sumTo(t, []).item()).toBe(21);
    expect(sumTo(t, [2, 3])).toBe(t);
  });
});

describe('an empty dim list reduces every dim, as PyTorch dim=[] does', () => {
  const x = () =>
    tensor([
      [0, 1, 2],
      [3, 4, 5],
    ]);

  it('sum and mean', () => {
    const s = sum(x(), []);
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(15);
    expect(sum(x(), [], true).tolist()).toEqual([[15]]);
    expect(mean(x(), []).item()).toBeCloseTo(2.5, 6);
    expect(x().sum([]).item()).toBe(15);
  });

  it('var, std and logsumexp', () => {
    expect(variance(x(), []).item()).toBeCloseTo(3.5, 5);
    expect(std(x(), []).item()).toBeCloseTo(Math.sqrt(3.5), 5);
    const lse = Math.log([0, 1, 2, 3, 4, 5].reduce((a, v) => a + Math.exp(v), 0));
    expect(logsumexp(x(), []).item()).toBeCloseTo(lse, 4);
  });

  it('the gradient of sum(x, []) is ones', () => {
    const xs = tensor([1, 2, 3], { requiresGrad: true });
    sum(xs, []).backward();
    expect(xs.grad?.tolist()).toEqual([1, 1, 1]);
  });
});

describe('unknown options throw', () => {
  it('scaledDotProductAttention names the known options', () => {
    const q = zeros([1, 2, 4]);
    const opts = { bogus: 1 } as unknown as Parameters<typeof scaledDotProductAttention>[3];
    expect(() => scaledDotProductAttention(q, q, q, opts)).toThrow(
      /scaledDotProductAttention: unknown option 'bogus'; known options: attnMask, dropoutP, training, generator/,
    );
    const snake = { dropout_p: 0.1 } as unknown as Parameters<typeof scaledDotProductAttention>[3];
    expect(() => scaledDotProductAttention(q, q, q, snake)).toThrow(/did you mean 'dropoutP'/);
  });

  it('gradcheck names the known options', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const opts = { bogus: 1 } as unknown as Parameters<typeof gradcheck>[2];
    expect(() => gradcheck((a) => a.mul(a), [x], opts)).toThrow(/gradcheck: unknown option 'bogus'; known options: eps, atol, rtol, seed/);
    expect(gradcheck((a) => a.mul(a), [x], { eps: 1e-6 })).toBe(true);
  });
});
