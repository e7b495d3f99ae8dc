import { beforeEach, describe, expect, it } from 'vitest';
import {
  abs,
  argmax,
  clamp,
  exp,
  gelu,
  gradcheck,
  leakyRelu,
  log,
  log1p,
  logSigmoid,
  logSoftmax,
  logsumexp,
  manualSeed,
  max,
  maximum,
  min,
  minimum,
  pow,
  randn,
  relu,
  sigmoid,
  softmax,
  softplus,
  sqrt,
  tanh,
  tensor,
  variance,
  where,
  gt,
  type Tensor,
} from '../src/index.js';

const f64 = { dtype: 'float64' as const };
/** A float64 leaf of standard normals that requires grad. */
const rn = (shape: number[]): Tensor => randn(shape, { ...f64, requiresGrad: true });
/** A float64 leaf in [0.5, ∞) that requires grad (for log, sqrt, pow bases). */
const pos = (shape: number[]): Tensor => randn(shape, f64).abs().add(0.5).requiresGrad_();
/** Central differences with a step small against the curvature of these ops. */
const check = (fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void => {
  expect(gradcheck(fn, inputs, { eps: 1e-6, atol: 1e-7, rtol: 1e-6 })).toBe(true);
};

beforeEach(() => manualSeed(20240601));

describe('gradcheck of the unary ops (float64)', () => {
  it('exp, log, log1p, sqrt, abs', () => {
    check((x) => exp(x!), [rn([3, 4])]);
    check((x) => log(x!), [pos([3, 4])]);
    check((x) => log1p(x!), [pos([3, 4])]);
    check((x) => sqrt(x!), [pos([3, 4])]);
    check((x) => abs(x!), [rn([3, 4])]);
  });

  it('on transposed and sliced (non-contiguous) inputs', () => {
    check((x) => exp(x!.t()), [rn([3, 4])]);
    check((x) => sqrt(x!.transpose(0, 1).narrow(0, 1, 2)), [pos([3, 4])]);
    check((x) => gelu(x!.t()), [rn([4, 3])]);
    check((x) => sigmoid(x!.permute(2, 0, 1)), [rn([2, 3, 4])]);
    check((x, y) => maximum(x!.t(), y!), [rn([4, 3]), rn([3, 4])]);
    check((x) => where(gt(x!.t(), 0), x!.t(), 0.5), [rn([3, 4])]);
  });

  it('pow: tensor^tensor (with broadcasting), tensor^number, number^tensor', () => {
    check((x, e) => pow(x!, e!), [pos([3, 4]), rn([3, 4])]);
    check((x, e) => pow(x!, e!), [pos([2, 3, 4]), rn([4])]);
    check((x, e) => pow(x!, e!), [pos([3, 1]), rn([1, 4])]);
    for (const p of [2, 3, 0.5, -0.5, -1, -2, 1.7, 0]) check((x) => pow(x!, p), [pos([5])]);
    check((x) => pow(x!, 3), [rn([5])]);
    check((e) => pow(2.5, e!), [rn([3, 4])]);
    check((e) => pow(0.3, e!.t()), [rn([3, 4])]);
  });

  it('clamp (both bounds, one bound), minimum/maximum with broadcasting and ties, where', () => {
    check((x) => clamp(x!, -0.5, 0.5), [rn([4, 5])]);
    check((x) => clamp(x!, 0), [rn([4, 5])]);
    check((x) => clamp(x!, null, 0.3), [rn([4, 5])]);
    check((x, y) => maximum(x!, y!), [rn([3, 4]), rn([4])]);
    check((x, y) => minimum(x!, y!), [rn([2, 1, 4]), rn([3, 1])]);
    check((x) => maximum(x!, 0.1), [rn([6])]);
    // Ties split the gradient half/half, which is what central differences see for each side.
    const tie = tensor([1, -2, 3], { ...f64, requiresGrad: true });
    check((x, y) => maximum(x!, y!), [tie, tie.detach().clone().requiresGrad_()]);
    check((x, y) => minimum(x!, y!), [tie, tie.detach().clone().requiresGrad_()]);
    const cond = tensor([[true], [false], [true]]);
    check((a, b) => where(cond, a!, b!), [rn([3, 4]), rn([4])]);
    check((a) => where(cond, 2, a!), [rn([3, 4])]);
  });
});

describe('gradcheck of the activations (float64)', () => {
  it('relu, leakyRelu, sigmoid, tanh, logSigmoid', () => {
    check((x) => relu(x!), [rn([4, 5])]);
    check((x) => leakyRelu(x!), [rn([4, 5])]);
    check((x) => leakyRelu(x!, 0.2), [rn([4, 5])]);
    check((x) => sigmoid(x!), [rn([4, 5])]);
    check((x) => tanh(x!), [rn([4, 5])]);
    check((x) => logSigmoid(x!), [rn([4, 5])]);
    check((x) => logSigmoid(x!.mul(30)), [rn([4, 5])]);
  });

  it('gelu exact and tanh', () => {
    check((x) => gelu(x!), [rn([4, 5])]);
    check((x) => gelu(x!.mul(3)), [rn([4, 5])]);
    check((x) => gelu(x!, 'tanh'), [rn([4, 5])]);
    check((x) => gelu(x!.mul(3), 'tanh'), [rn([4, 5])]);
  });

  it('softplus with beta and threshold', () => {
    check((x) => softplus(x!), [rn([4, 5])]);
    check((x) => softplus(x!.mul(10)), [rn([4, 5])]);
    // Away from the threshold kink at x = threshold/β = 0.5.
    const x = tensor([-3, -1, 0.1, 0.3, 0.7, 2], { ...f64, requiresGrad: true });
    check((x) => softplus(x!, 2, 1), [x]);
  });
});

describe('gradcheck of softmax, logsumexp, extrema and variance (float64)', () => {
  it('softmax and logSoftmax along every dim, on contiguous and permuted inputs', () => {
    for (const dim of [0, 1, 2, -1]) {
      check((x) => softmax(x!, dim), [rn([2, 3, 4])]);
      check((x) => logSoftmax(x!, dim), [rn([2, 3, 4])]);
      check((x) => softmax(x!.permute(2, 0, 1), dim), [rn([2, 3, 4])]);
      check((x) => logSoftmax(x!.transpose(0, 2), dim), [rn([2, 3, 4])]);
    }
    check((x) => softmax(x!.mul(40), 1), [rn([3, 5])]);
    check((x) => logSoftmax(x!.sum(), 0), [rn([3])]);
  });

  it('logsumexp over one and several dims, with keepdim', () => {
    check((x) => logsumexp(x!, 1), [rn([2, 3, 4])]);
    check((x) => logsumexp(x!, -1, true), [rn([2, 3, 4])]);
    check((x) => logsumexp(x!, [0, 2]), [rn([2, 3, 4])]);
    check((x) => logsumexp(x!.t(), 0, true), [rn([3, 4])]);
    check((x) => logsumexp(x!.mul(100), [0, 1]), [rn([3, 4])]);
  });

  it('max and min: all elements and along a dim (gradient to the index)', () => {
    check((x) => max(x!), [rn([3, 4])]);
    check((x) => min(x!.t()), [rn([3, 4])]);
    for (const dim of [0, 1, 2, -1]) {
      check((x) => max(x!, dim).values, [rn([2, 3, 4])]);
      check((x) => min(x!, dim, true).values, [rn([2, 3, 4])]);
    }
    check((x) => max(x!.permute(1, 2, 0), 1).values, [rn([2, 3, 4])]);
    const x = rn([3, 4]);
    expect(argmax(x, 1).requiresGrad).toBe(false);
    expect(max(x, 1).indices.requiresGrad).toBe(false);
  });

  it('variance over all, one and several dims, with correction and keepdim', () => {
    check((x) => variance(x!), [rn([3, 4])]);
    check((x) => variance(x!, 1), [rn([3, 4])]);
    check((x) => variance(x!, [0, 2], { correction: 0, keepdim: true }), [rn([2, 3, 4])]);
    check((x) => variance(x!.t(), 0, { correction: 2 }), [rn([5, 4])]);
    check((x) => x!.var(-1, { keepdim: true }), [rn([2, 3, 4])]);
  });

  it('composes: a softmax-weighted sum through several ops', () => {
    check(
      (x, w) =>
        softmax(x!.matmul(w!), -1)
          .mul(tanh(x!.matmul(w!)))
          .sum(1)
          .exp()
          .log1p(),
      [rn([3, 4]), rn([4, 5])],
    );
  });
});

describe('float32 agrees with float64', () => {
  it('every op, to float32 precision', () => {
    const x64 = randn([4, 6], f64);
    const x32 = x64.float();
    const fns: ((x: Tensor) => Tensor)[] = [
      (x) => exp(x),
      (x) => log(abs(x)),
      (x) => gelu(x),
      (x) => gelu(x, 'tanh'),
      (x) => sigmoid(x),
      (x) => softplus(x),
      (x) => logSigmoid(x),
      (x) => softmax(x, 0),
      (x) => logSoftmax(x, 1),
      (x) => logsumexp(x, 1),
      (x) => variance(x, 0),
      (x) => max(x, 1).values,
      (x) => pow(abs(x), 1.5),
      (x) => clamp(x, -0.2, 0.4),
    ];
    for (const fn of fns) {
      const a = fn(x32);
      const b = fn(x64);
      expect(a.dtype).toBe('float32');
      const av = a.toArray();
      const bv = b.toArray();
      for (let i = 0; i < bv.length; i++) expect(Math.abs(av[i]! - bv[i]!)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(bv[i]!)));
    }
  });
});

describe('the strided copy behind non-contiguous inputs', () => {
  it('equals contiguous() for permuted, sliced, expanded and offset views', async () => {
    const { denseCopy } = await import('../src/ops/elementwise-internal.js');
    const base = randn([3, 40, 70], f64);
    const views: Tensor[] = [
      base.permute(2, 0, 1),
      base.permute(0, 2, 1),
      base.permute(1, 2, 0),
      base.transpose(1, 2).narrow(1, 5, 33).narrow(2, 7, 32),
      base.narrow(2, 3, 50),
      base.narrow(0, 1, 2).transpose(0, 2),
      base.narrow(1, 0, 1).expand(3, 35, 70).transpose(1, 2),
      randn([70], f64).unsqueeze(1).expand(70, 45),
      randn([50, 64], f64).t(),
      randn([50, 64], f64).t().narrow(0, 1, 40),
    ];
    for (const v of views) {
      expect(v.isContiguous()).toBe(false);
      const got = denseCopy(v);
      expect(got.isContiguous()).toBe(true);
      expect(got.shape).toEqual(v.shape);
      expect(Array.from(got.toArray())).toEqual(Array.from(v.contiguous().toArray()));
    }
  });
});
