import { describe, expect, it } from 'vitest';
import { batchNorm, GroupNorm, gradcheck, groupNorm, manualSeed, randn, reshape, tensor, type Tensor, variance } from '../src/index.js';

/** Group norm from tensor ops (view, mean, variance): the independent reference. */
function groupNormByOps(x: Tensor, groups: number, weight: Tensor, bias: Tensor, eps: number): Tensor {
  const [N, C] = x.shape as [number, number];
  const g = reshape(x, [N, groups, -1]);
  const normed = reshape(g.sub(g.mean(2, true)).div(variance(g, 2, { correction: 0, keepdim: true }).add(eps).sqrt()), x.shape);
  const affine = [1, C, ...x.shape.slice(2).map(() => 1)];
  return normed.mul(reshape(weight, affine)).add(reshape(bias, affine));
}

describe('groupNorm', () => {
  it('equals the same arithmetic written with tensor ops, values and gradients', () => {
    manualSeed(3);
    const x = randn([3, 6, 2, 5], { dtype: 'float64', requiresGrad: true });
    const w = randn([6], { dtype: 'float64', requiresGrad: true });
    const b = randn([6], { dtype: 'float64', requiresGrad: true });
    const up = randn([3, 6, 2, 5], { dtype: 'float64' });
    groupNorm(x, 3, w, b, 1e-3).mul(up).sum().backward();
    const got = [x.grad!.toArray(), w.grad!.toArray(), b.grad!.toArray()];
    for (const t of [x, w, b]) t.grad = null;
    const want = groupNormByOps(x, 3, w, b, 1e-3);
    expect(Array.from(groupNorm(x, 3, w, b, 1e-3).toArray()).every((v, i) => Math.abs(v - want.toArray()[i]!) < 1e-12)).toBe(true);
    want.mul(up).sum().backward();
    [x.grad!, w.grad!, b.grad!].forEach((g, k) => g.toArray().forEach((v, i) => expect(Math.abs(v - got[k]![i]!)).toBeLessThan(1e-11)));
  });

  it('passes gradcheck, with and without affine parameters', () => {
    manualSeed(4);
    const x = randn([2, 4, 3], { dtype: 'float64', requiresGrad: true });
    const w = randn([4], { dtype: 'float64', requiresGrad: true });
    const b = randn([4], { dtype: 'float64', requiresGrad: true });
    const up = randn([2, 4, 3], { dtype: 'float64' });
    expect(gradcheck((x, w, b) => groupNorm(x, 2, w, b).mul(up).sum(), [x, w, b], { atol: 1e-7, rtol: 1e-6 })).toBe(true);
    expect(gradcheck((x) => groupNorm(x, 4).mul(up).sum(), [x], { atol: 1e-7, rtol: 1e-6 })).toBe(true);
  });

  it('GroupNorm is the module, with PyTorch keys and defaults; bad sizes throw', () => {
    const m = new GroupNorm(2, 4);
    expect(Object.keys(m.stateDict())).toEqual(['weight', 'bias']);
    expect(m.weight!.tolist()).toEqual([1, 1, 1, 1]);
    expect(new GroupNorm(2, 4, { affine: false }).parameters()).toHaveLength(0);
    expect(() => new GroupNorm(3, 4)).toThrow('GroupNorm: numChannels (4) must be divisible by numGroups (3)');
    expect(() => groupNorm(tensor([[1, 2, 3]]), 2)).toThrow('groupNorm: expected 3 channels');
  });
});

describe('batchNorm', () => {
  it('passes gradcheck in training (batch statistics) and eval (running statistics) mode', () => {
    manualSeed(5);
    const x = randn([4, 3, 2], { dtype: 'float64', requiresGrad: true });
    const w = randn([3], { dtype: 'float64', requiresGrad: true });
    const b = randn([3], { dtype: 'float64', requiresGrad: true });
    const up = randn([4, 3, 2], { dtype: 'float64' });
    const rm = randn([3], { dtype: 'float64' });
    const rv = randn([3], { dtype: 'float64' }).abs();
    expect(
      gradcheck((x, w, b) => batchNorm(x, null, null, { weight: w, bias: b, training: true }).mul(up).sum(), [x, w, b], {
        atol: 1e-7,
        rtol: 1e-6,
      }),
    ).toBe(true);
    expect(gradcheck((x, w, b) => batchNorm(x, rm, rv, { weight: w, bias: b }).mul(up).sum(), [x, w, b], { atol: 1e-7, rtol: 1e-6 })).toBe(
      true,
    );
  });

  it('refuses a single value per channel in training, and eval without running statistics', () => {
    expect(() => batchNorm(tensor([[1, 2]]), null, null, { training: true })).toThrow(
      'expected more than 1 value per channel when training, got input size [1,2]',
    );
    expect(() => batchNorm(tensor([[1, 2]]), null, null)).toThrow('runningMean and runningVar are required when training is false');
  });
});
