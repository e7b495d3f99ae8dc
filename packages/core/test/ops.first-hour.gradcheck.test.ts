import { describe, expect, it } from 'vitest';
import {
  arange,
  argmax,
  argmin,
  argsort,
  clamp,
  cumsum,
  Generator,
  gradcheck,
  linspace,
  oneHot,
  randn,
  select,
  sort,
  std,
  tensor,
  type Tensor,
  topk,
  transpose,
  variance,
  where,
} from '../src/index.js';

let seed = 11;
/** A float64 leaf of standard normal values that requires grad (distinct values almost surely). */
function leaf(shape: number[]): Tensor {
  return randn(shape, { dtype: 'float64', requiresGrad: true, generator: new Generator(seed++) });
}

function close(actual: ArrayLike<number>, expected: readonly number[], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  Array.from(actual).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, digits));
}

describe('select and integer indexing', () => {
  const x = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it('select removes the dim and views the storage', () => {
    expect(x.select(0, 1).tolist()).toEqual([4, 5, 6]);
    expect(x.select(1, -1).tolist()).toEqual([3, 6]);
    expect(x.select(1, 0).storage).toBe(x.storage);
    expect(() => x.select(1, 3)).toThrow(/index 3 is out of range for dimension 1 with size 3/);
  });

  it('get(i) is t[i] and get(i, j) is t[i, j]', () => {
    expect(x.get(1).tolist()).toEqual([4, 5, 6]);
    expect(x.get(-1, 0).item()).toBe(4);
    expect(x.get(0, 2).shape).toEqual([]);
    expect(() => x.get(0, 0, 0)).toThrow(/too many indices \(3\) for a tensor of 2 dimensions/);
  });

  it.each([0, 1, -1])('select along dim %i passes gradcheck', (dim) => {
    expect(gradcheck((a) => select(a!, dim, 1), [leaf([3, 2, 4])])).toBe(true);
  });

  it('get on a transposed view passes gradcheck and prints SelectBackward', () => {
    expect(gradcheck((a) => transpose(a!, 0, 1).get(2, 1), [leaf([2, 3])])).toBe(true);
    expect(leaf([2]).get(0).gradFn?.name).toBe('select');
  });
});

describe('var and std with correction', () => {
  const values = [2, 4, 4, 4, 5, 5, 7, 9];
  const mean = 5;
  const ss = values.reduce((s, v) => s + (v - mean) ** 2, 0); // 32

  it.each([
    [0, 32 / 8],
    [1, 32 / 7],
    [2, 32 / 6],
  ])('correction %i divides Σ(x − mean)² by N − correction', (correction, expected) => {
    expect(ss).toBe(32);
    expect(variance(tensor(values), null, { correction }).item()).toBeCloseTo(expected, 5);
    expect(std(tensor(values), null, { correction }).item()).toBeCloseTo(Math.sqrt(expected), 5);
  });

  it('defaults to correction 1 (PyTorch ≥ 2.0) and reduces a dim with keepdim', () => {
    const x = tensor([
      [1, 3],
      [2, 6],
    ]);
    close(x.std(0).toArray(), [Math.SQRT1_2, Math.sqrt(4.5)]);
    expect(x.std(1, { keepdim: true }).shape).toEqual([2, 1]);
    expect(() => x.std(0, { unbiased: false } as never)).toThrow(/unknown option 'unbiased'/);
  });

  it.each([0, 1])('std over dim 1 with correction %i passes gradcheck', (correction) => {
    expect(gradcheck((a) => std(a!, 1, { correction }), [leaf([3, 4])])).toBe(true);
  });
});

describe('sort, argsort and topk', () => {
  it('sort is stable, ascending by default, NaN last (first when descending)', () => {
    const x = tensor([3, Number.NaN, 1, 3, 2]);
    const up = sort(x);
    expect(Array.from(up.values.toArray())).toEqual([1, 2, 3, 3, Number.NaN]);
    expect(up.indices.tolist()).toEqual([2, 4, 0, 3, 1]);
    const down = x.sort(0, { descending: true });
    expect(down.indices.tolist()).toEqual([1, 0, 3, 4, 2]);
    expect(argsort(tensor([0.5, -1, 0.25]))).toSatisfy((t: Tensor) => JSON.stringify(t.tolist()) === '[1,2,0]');
  });

  it('sorts each row along the dim asked for', () => {
    const x = tensor([
      [3, 1, 2],
      [0, 5, 4],
    ]);
    expect(x.sort(0).values.tolist()).toEqual([
      [0, 1, 2],
      [3, 5, 4],
    ]);
    expect(x.argsort(1, { descending: true }).tolist()).toEqual([
      [0, 2, 1],
      [1, 2, 0],
    ]);
  });

  it('topk gives the k largest (or smallest) in order, ties to the lower index', () => {
    const x = tensor([1, 9, 3, 9, 5]);
    const { values, indices } = topk(x, 3);
    expect(values.tolist()).toEqual([9, 9, 5]);
    expect(indices.tolist()).toEqual([1, 3, 4]);
    expect(x.topk(2, 0, { largest: false }).indices.tolist()).toEqual([0, 2]);
    expect(() => x.topk(6)).toThrow(/k \(6\) must be an integer in \[0, 5\]/);
  });

  it.each([0, 1])('sort along dim %i passes gradcheck', (dim) => {
    expect(gradcheck((a) => sort(a!, dim, { descending: true }).values, [leaf([3, 4])])).toBe(true);
  });

  it('topk passes gradcheck', () => {
    expect(gradcheck((a) => topk(a!, 2, 1).values, [leaf([3, 5])])).toBe(true);
  });
});

describe('argmax and argmin on any dim', () => {
  const x = tensor([
    [
      [1, 7],
      [8, 2],
    ],
    [
      [5, 3],
      [0, 9],
    ],
  ]);
  it.each([
    [
      0,
      [
        [1, 0],
        [0, 1],
      ],
    ],
    [
      1,
      [
        [1, 0],
        [0, 1],
      ],
    ],
    [
      2,
      [
        [1, 0],
        [0, 1],
      ],
    ],
  ])('argmax over dim %i', (dim, expected) => {
    expect(argmax(x, dim).tolist()).toEqual(expected);
  });
  it('keepdim keeps the reduced dim; argmin mirrors argmax', () => {
    expect(x.argmax(-1, true).shape).toEqual([2, 2, 1]);
    expect(argmin(x, 2).tolist()).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(argmax(x).item()).toBe(7);
  });
});

describe('clamp and where', () => {
  it('clamps to tensor bounds elementwise (min(max(x, lo), hi), so lo > hi gives hi)', () => {
    const x = tensor([-2, 0.5, 3, 1]);
    const lo = tensor([-1, 0, 0, 2]);
    const hi = tensor([1, 1, 2, 0]);
    expect(clamp(x, lo, hi).tolist()).toEqual([-1, 0.5, 2, 0]);
    expect(x.clamp(null, hi).tolist()).toEqual([-2, 0.5, 2, 0]);
    expect(x.clamp(0).tolist()).toEqual([0, 0.5, 3, 1]);
  });

  it('clamp with tensor bounds passes gradcheck in x and in both bounds', () => {
    const x = tensor([-2, 0.5, 3, 0.1, -0.3, 2.5], { dtype: 'float64', requiresGrad: true });
    const lo = tensor([-1, 0, 0, -1, 0, 0], { dtype: 'float64', requiresGrad: true });
    const hi = tensor([1, 1, 2, 1, 1, 2], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((a, b, c) => clamp(a!, b!, c!), [x, lo, hi])).toBe(true);
  });

  it('where passes gradcheck in both branches', () => {
    const cond = tensor([true, false, true, false]);
    expect(gradcheck((a, b) => where(cond, a!, b!), [leaf([4]), leaf([2, 1, 4]).detach().requiresGrad_()])).toBe(true);
  });
});

describe('cumsum', () => {
  it('sums the prefix along the dim (bool and int32 give int32)', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(cumsum(x, 1).tolist()).toEqual([
      [1, 3, 6],
      [4, 9, 15],
    ]);
    expect(x.cumsum(0).tolist()).toEqual([
      [1, 2, 3],
      [5, 7, 9],
    ]);
    const b = cumsum(tensor([true, false, true]), 0);
    expect([b.dtype, b.tolist()]).toEqual(['int32', [1, 1, 2]]);
  });

  it.each([0, 1, -1])('cumsum along dim %i (and of a transposed view) passes gradcheck', (dim) => {
    expect(gradcheck((a) => cumsum(a!, dim), [leaf([3, 4])])).toBe(true);
    expect(gradcheck((a) => cumsum(transpose(a!, 0, 1), dim), [leaf([3, 4])])).toBe(true);
  });
});

describe('oneHot, arange with steps, linspace', () => {
  it('oneHot sets one 1 per index (int32)', () => {
    const h = oneHot(tensor(Int32Array.from([0, 2, 1])), 4);
    expect([h.dtype, h.tolist()]).toEqual([
      'int32',
      [
        [1, 0, 0, 0],
        [0, 0, 1, 0],
        [0, 1, 0, 0],
      ],
    ]);
    expect(oneHot(tensor(Int32Array.from([1, 3]))).shape).toEqual([2, 4]);
    expect(() => oneHot(tensor(Int32Array.from([5])), 3)).toThrow(/class value 5 is too large for numClasses 3/);
    expect(() => oneHot(tensor([1.5]))).toThrow(/int32 index tensor/);
  });

  it('arange counts ceil((end − start) / step) values, negative steps included', () => {
    close(arange(0, 1, 0.25).toArray(), [0, 0.25, 0.5, 0.75]);
    expect(arange(5, 0, -2).tolist()).toEqual([5, 3, 1]);
    expect(arange(1, 2.5, 0.5).numel).toBe(3);
  });

  it("linspace includes both ends and counts from each end, as PyTorch's kernel", () => {
    close(linspace(0, 1, 5).toArray(), [0, 0.25, 0.5, 0.75, 1], 7);
    close(linspace(-1, 1, 4, { dtype: 'float64' }).toArray(), [-1, -1 / 3, 1 / 3, 1], 12);
    // PyTorch: the second half is end − step·(steps − 1 − i), so the last value is exactly end.
    const x = linspace(0.1, 0.7, 7, { dtype: 'float64' }).toArray();
    expect(x[6]).toBe(0.7);
    expect(x[0]).toBe(0.1);
    expect(linspace(3, 9, 1).tolist()).toEqual([3]);
    expect(linspace(0, 1, 0).shape).toEqual([0]);
  });
});
