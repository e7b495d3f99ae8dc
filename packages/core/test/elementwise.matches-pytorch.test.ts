import { describe, expect, it } from 'vitest';
import {
  clamp,
  eq,
  ge,
  gelu,
  gt,
  le,
  logSoftmax,
  logsumexp,
  lt,
  max,
  maximum,
  min,
  minimum,
  ne,
  pow,
  sign,
  softmax,
  tensor,
  where,
  argmax,
  argmin,
  variance,
  zeros,
  type Tensor,
} from '../src/index.js';
import { erf } from '../src/kernels/js/erf.js';
import { checkOpCase, type OpInputs, type OpRun, opCases } from './fixtures/op-cases.js';

const ops: Record<string, (x: OpInputs, args: Record<string, unknown>) => OpRun> = {
  softmax: (x, a) => ({ out: softmax(x['input']!, a['dim'] as number) }),
  log_softmax: (x, a) => ({ out: logSoftmax(x['input']!, a['dim'] as number) }),
  gelu: (x, a) => ({ out: gelu(x['input']!, a['approximate'] as 'none' | 'tanh') }),
  logsumexp: (x, a) => ({ out: logsumexp(x['input']!, a['dim'] as number | number[], a['keepdim'] as boolean) }),
  max: (x, a) => {
    const { values, indices } = max(x['input']!, a['dim'] as number, a['keepdim'] as boolean);
    return { out: values, indices };
  },
};

const cases = opCases(Object.keys(ops));

describe('elementwise ops match PyTorch 1.13 (float64, 1e-10 relative)', () => {
  it('covers every fixture op of this group', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(ops)));
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    checkOpCase(c, (inputs, args) => ops[c.op]!(inputs, args));
  });

  it('softmax over a transposed (non-contiguous) input equals softmax of its copy', () => {
    const x = tensor(
      [
        [1, 2, 3],
        [4, 5, 7],
      ],
      { dtype: 'float64' },
    ).t();
    const a = softmax(x, 0).toArray();
    const b = softmax(x.contiguous(), 0).toArray();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(softmax(x, 0).isContiguous()).toBe(true);
  });
});

describe('erf', () => {
  // Reference values from mpmath at 50 digits, rounded to float64.
  const ref: [number, number][] = [
    [0, 0],
    [1e-20, 1.1283791670955125e-20],
    [0.1, 0.1124629160182849],
    [0.5, 0.5204998778130465],
    [0.84375, 0.7672256612323416],
    [1, 0.8427007929497149],
    [1.25, 0.9229001282564583],
    [2, 0.9953222650189527],
    [2.86, 0.9999475988269556],
    [4, 0.9999999845827421],
    [5.657, 0.9999999999999988],
    [6, 1],
    [-0.3, -0.3286267594591274],
    [-1.7, -0.9837904585907745],
    [-3.3, -0.9999969422902035],
  ];
  it.each(ref)('erf(%s)', (x, want) => {
    const got = erf(x);
    expect(Math.abs(got - want)).toBeLessThanOrEqual(2e-16 * Math.abs(want));
  });
  it('handles ±∞ and NaN', () => {
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erf(NaN)).toBeNaN();
  });
});

const b = (t: Tensor): boolean[] => t.tolist() as boolean[];

describe('hand-computed values', () => {
  it('comparisons broadcast, accept numbers and give bool tensors', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const y = tensor([2, 2, 7]);
    expect(eq(x, y).dtype).toBe('bool');
    expect(eq(x, y).tolist()).toEqual([
      [false, true, false],
      [false, false, false],
    ]);
    expect(ne(x, y).tolist()).toEqual([
      [true, false, true],
      [true, true, true],
    ]);
    expect(lt(x, y).tolist()).toEqual([
      [true, false, true],
      [false, false, true],
    ]);
    expect(le(x, y).tolist()).toEqual([
      [true, true, true],
      [false, false, true],
    ]);
    expect(gt(x, 3).tolist()).toEqual([
      [false, false, false],
      [true, true, true],
    ]);
    expect(ge(3, x).tolist()).toEqual([
      [true, true, true],
      [false, false, false],
    ]);
    expect(
      x
        .t()
        .lt(tensor([[2], [5], [4]]))
        .tolist(),
    ).toEqual([
      [true, false],
      [true, false],
      [true, false],
    ]);
    expect(b(eq(tensor([NaN, 1]), tensor([NaN, 1])))).toEqual([false, true]);
    expect(b(ne(tensor([NaN]), NaN))).toEqual([true]);
    // A number compares in the tensor's dtype, as a Python scalar does in PyTorch.
    expect(b(eq(tensor([0.1], { dtype: 'float32' }), 0.1))).toEqual([true]);
    expect(b(lt(tensor([0, 1], { dtype: 'int32' }), 0.5))).toEqual([true, false]);
    const xg = tensor([1, 2], { requiresGrad: true });
    expect(lt(xg, 2).requiresGrad).toBe(false);
  });

  it('where picks elementwise with broadcasting and routes gradients', () => {
    const cond = tensor([[true, false, true]]);
    const a = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    const out = where(cond, a, -1);
    expect(out.tolist()).toEqual([
      [1, -1, 3],
      [4, -1, 6],
    ]);
    out.sum().backward();
    expect(a.grad!.tolist()).toEqual([
      [1, 0, 1],
      [1, 0, 1],
    ]);
    const c = tensor([true, false]);
    const bb = tensor([10, 20], { dtype: 'float64', requiresGrad: true });
    const o2 = where(c.unsqueeze(1), 0, bb);
    expect(o2.tolist()).toEqual([
      [0, 0],
      [10, 20],
    ]);
    o2.sum().backward();
    expect(bb.grad!.tolist()).toEqual([1, 1]);
    expect(where(tensor([true, false]).unsqueeze(0).expand(2, 2).t(), tensor([1, 2]), tensor([[5], [6]])).tolist()).toEqual([
      [1, 2],
      [6, 6],
    ]);
  });

  it('clamp clamps, keeps NaN, and passes the gradient on the boundary', () => {
    const x = tensor([-2, -1, 0, 1, 2, NaN], { dtype: 'float64', requiresGrad: true });
    const y = clamp(x, -1, 1);
    expect(Array.from(y.toArray())).toEqual([-1, -1, 0, 1, 1, NaN]);
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([0, 1, 1, 1, 0, 0]);
    expect(clamp(tensor([-3, 0, 3]), null, 1).tolist()).toEqual([-3, 0, 1]);
    expect(clamp(tensor([-3, 0, 3]), 1).tolist()).toEqual([1, 1, 3]);
    // min > max sets everything to max, as PyTorch.
    expect(clamp(tensor([-3, 0, 3]), 2, 1).tolist()).toEqual([1, 1, 1]);
    expect(clamp(tensor([-3, 0, 3], { dtype: 'int32' }), -1, 1).dtype).toBe('int32');
    expect(clamp(tensor([-3, 0, 3], { dtype: 'int32' }), -0.5, 1).tolist()).toEqual([-0.5, 0, 1]);
  });

  it('sign gives −1/0/1 (0 for ±0 and NaN) and no gradient', () => {
    const x = tensor([-2.5, -0, 0, 3, NaN], { dtype: 'float64', requiresGrad: true });
    const s = sign(x);
    expect(Array.from(s.toArray())).toEqual([-1, 0, 0, 1, 0]);
    s.sum().backward();
    expect(x.grad!.tolist()).toEqual([0, 0, 0, 0, 0]);
    expect(sign(tensor([-4, 0, 9], { dtype: 'int32' })).tolist()).toEqual([-1, 0, 1]);
  });

  it('pow masks the gradients at base 0 as PyTorch', () => {
    const x = tensor([0, 0, 2], { dtype: 'float64', requiresGrad: true });
    const e = tensor([0, 2, 3], { dtype: 'float64', requiresGrad: true });
    const y = pow(x, e);
    expect(y.tolist()).toEqual([1, 0, 8]);
    y.sum().backward();
    // ∂/∂x: 0 where e = 0 (instead of 0·0^−1), else e·x^(e−1).
    expect(x.grad!.tolist()).toEqual([0, 0, 12]);
    // ∂/∂e: 0 where x = 0 and e ≥ 0 (instead of 0·log 0), else x^e·log x.
    expect(e.grad!.tolist()).toEqual([0, 0, 8 * Math.log(2)]);
    const s = tensor([0, 1], { dtype: 'float64', requiresGrad: true });
    pow(0, s).sum().backward();
    expect(s.grad!.tolist()).toEqual([0, 0]);
    const z = tensor([0, 3], { dtype: 'float64', requiresGrad: true });
    pow(z, 0).sum().backward();
    expect(z.grad!.tolist()).toEqual([0, 0]);
    expect(pow(tensor([2, 3], { dtype: 'int32' }), 2).tolist()).toEqual([4, 9]);
    expect(pow(tensor([2, 3], { dtype: 'int32' }), 2).dtype).toBe('int32');
    expect(pow(2, tensor([1, 3], { dtype: 'int32' })).tolist()).toEqual([2, 8]);
    expect(() => pow(tensor([2], { dtype: 'int32' }), -1)).toThrow(/negative integer powers/);
  });

  it('maximum/minimum propagate NaN and split ties half/half', () => {
    const a = tensor([1, 5, 3, NaN], { dtype: 'float64', requiresGrad: true });
    const c = tensor([2, 4, 3, 0], { dtype: 'float64', requiresGrad: true });
    const m = maximum(a, c);
    expect(Array.from(m.toArray())).toEqual([2, 5, 3, NaN]);
    m.sum().backward();
    expect(a.grad!.tolist()).toEqual([0, 1, 0.5, 1]);
    expect(c.grad!.tolist()).toEqual([1, 0, 0.5, 1]);
    expect(minimum(tensor([1, 5]), 3).tolist()).toEqual([1, 3]);
  });

  it('max/min/argmax/argmin pick the first occurrence; max() spreads the gradient over ties', () => {
    const x = tensor(
      [
        [3, 1, 3],
        [0, 7, 7],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    const r = max(x, 1);
    expect(r.values.tolist()).toEqual([3, 7]);
    expect(r.indices.tolist()).toEqual([0, 1]);
    expect(r.indices.dtype).toBe('int32');
    expect(min(x, 0, true).indices.tolist()).toEqual([[1, 0, 0]]);
    expect(argmax(x).tolist()).toBe(4);
    expect(argmin(x).tolist()).toBe(3);
    expect(argmax(x, 1, true).tolist()).toEqual([[0], [1]]);
    expect(x.argmin(0).tolist()).toEqual([1, 0, 0]);
    const all = max(x);
    expect(all.ndim).toBe(0);
    expect(all.item()).toBe(7);
    all.backward();
    expect(x.grad!.tolist()).toEqual([
      [0, 0, 0],
      [0, 0.5, 0.5],
    ]);
    expect(x.min().item()).toBe(0);
    // NaN is the max (and the min); the first NaN wins.
    const n = tensor([1, NaN, 5, NaN]);
    expect(max(n).item()).toBeNaN();
    expect(max(n, 0).indices.item()).toBe(1);
    expect(min(n, 0).indices.item()).toBe(1);
    expect(argmax(n).item()).toBe(1);
  });

  it('var matches the textbook formula with correction and keepdim', () => {
    const x = tensor(
      [
        [1, 2, 3, 4],
        [2, 2, 2, 2],
      ],
      { dtype: 'float64' },
    );
    expect(variance(x).item()).toBeCloseTo(5.5 / 7, 14);
    expect(variance(x, 1).tolist()).toEqual([5 / 3, 0]);
    expect(x.var(1, { correction: 0, keepdim: true }).tolist()).toEqual([[1.25], [0]]);
    expect(x.var([0, 1], { correction: 0 }).item()).toBeCloseTo(5.5 / 8, 14);
  });

  it('softmax handles rows of −∞ and large inputs like PyTorch; logsumexp too', () => {
    const x = tensor(
      [
        [1000, 1001],
        [-Infinity, -Infinity],
      ],
      { dtype: 'float64' },
    );
    const s = softmax(x, 1).toArray();
    expect(s[0]).toBeCloseTo(1 / (1 + Math.E), 15);
    expect(s[2]).toBeNaN();
    expect(Array.from(logsumexp(x, 1).toArray())).toEqual([1001 + Math.log1p(Math.exp(-1)), -Infinity]);
    expect(logsumexp(tensor([Infinity, 1]), 0).item()).toBe(Infinity);
    expect(logsumexp(zeros([2, 0]), 1).tolist()).toEqual([-Infinity, -Infinity]);
  });
});

describe('bad inputs', () => {
  it('where needs a bool condition', () => {
    expect(() => where(tensor([1, 0]), 1, 2)).toThrow(
      'where: expected the condition to be a bool tensor, but got a tensor of dtype float32',
    );
    expect(() => where(tensor([true, false]), tensor([1, 2, 3]), 0)).toThrow(/cannot be broadcast/);
  });
  it('dims out of range name the op and range', () => {
    const x = zeros([2, 3]);
    expect(() => softmax(x, 2)).toThrow('softmax: dimension out of range (expected to be in range of [-2, 1], but got 2)');
    expect(() => logSoftmax(x, -3)).toThrow(/logSoftmax: dimension out of range/);
    expect(() => logsumexp(x, 5)).toThrow(/logsumexp: dimension out of range/);
    expect(() => max(x, 2)).toThrow(/max: dimension out of range/);
    expect(() => argmin(x, -3)).toThrow(/min: dimension out of range/);
    expect(() => variance(x, 3)).toThrow(/var: dimension out of range/);
  });
  it('reductions of empty tensors, clamp without bounds, integer softmax and bad gelu modes are refused', () => {
    expect(() => max(zeros([0]))).toThrow(/max: expected a reduction dim/);
    expect(() => max(zeros([2, 0]), 1)).toThrow(/cannot reduce dimension 1 of size 0/);
    expect(() => argmax(zeros([0]))).toThrow(/argmax/);
    expect(() => clamp(zeros([2]))).toThrow(/at least one of 'min' or 'max'/);
    expect(() => softmax(tensor([1, 2], { dtype: 'int32' }), 0)).toThrow(/softmax: input dtype must be floating point/);
    expect(() => variance(tensor([1, 2], { dtype: 'int32' }))).toThrow(/var: input dtype must be floating point/);
    expect(() => gelu(zeros([1]), 'fast' as 'tanh')).toThrow(/approximate must be/);
    expect(() => eq(zeros([2]), zeros([3]))).toThrow('eq: shapes [2] and [3] cannot be broadcast together');
  });
});

describe('activation edge values', () => {
  it('relu and leakyRelu keep NaN, map −∞ and −0 as PyTorch, and route gradients', () => {
    const x = tensor([-Infinity, -2, -0, 0, 3, Infinity, NaN], { dtype: 'float64', requiresGrad: true });
    const y = x.relu();
    const v = Array.from(y.toArray());
    expect(v.slice(0, 6)).toEqual([0, 0, 0, 0, 3, Infinity]);
    expect(v.slice(0, 4).every((z) => Object.is(z, 0))).toBe(true);
    expect(v[6]).toBeNaN();
    y.backward(tensor([1, 1, 1, 1, 1, 1, 1], { dtype: 'float64' }));
    expect(Array.from(x.grad!.toArray())).toEqual([0, 0, 0, 0, 1, 1, 1]);
    const l = Array.from(x.detach().leakyRelu(0.1).toArray());
    expect(l.slice(0, 6)).toEqual([-Infinity, -0.2, -0, 0, 3, Infinity]);
    expect(l[6]).toBeNaN();
    // A non-finite upstream gradient is still zeroed where relu is flat.
    const z = tensor([-1, 2], { dtype: 'float64', requiresGrad: true });
    z.relu().backward(tensor([NaN, Infinity], { dtype: 'float64' }));
    expect(Array.from(z.grad!.toArray())).toEqual([0, Infinity]);
  });

  it('sigmoid, logSigmoid and softplus stay finite and accurate for large |x|', () => {
    const x = tensor([-1000, -50, 50, 1000], { dtype: 'float64' });
    const sg = Array.from(x.sigmoid().toArray());
    expect([sg[0], sg[2], sg[3]]).toEqual([0, 1, 1]);
    expect(Math.abs(sg[1]! * (1 + Math.exp(50)) - 1)).toBeLessThan(1e-15);
    expect(Array.from(x.logSigmoid().toArray())).toEqual([-1000, -50 - Math.log1p(Math.exp(-50)), -Math.log1p(Math.exp(-50)), 0]);
    expect(Array.from(x.softplus().toArray())).toEqual([0, Math.log1p(Math.exp(-50)), 50, 1000]);
    // Without the threshold, the stable form still does not overflow.
    expect(Array.from(x.softplus(1, Infinity).toArray())).toEqual([0, Math.log1p(Math.exp(-50)), 50 + Math.log1p(Math.exp(-50)), 1000]);
    expect(tensor([-740], { dtype: 'float64' }).sigmoid().item()).toBeGreaterThan(0);
  });
});
