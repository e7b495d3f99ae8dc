import { type Tensor, tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import { Adam, createOptimizer, isOptimizerName, optimizerDescriptors, RMSprop, SGD } from '../src/index.js';

function param(values: number[]): Tensor {
  return tensor(Float64Array.from(values), { dtype: 'float64', requiresGrad: true });
}

function withGrad(p: Tensor, values: number[]): Tensor {
  p.grad = tensor(Float64Array.from(values), { dtype: 'float64' });
  return p;
}

describe('Optimizer base: groups, state, zeroGrad, step', () => {
  it('fills each group from the defaults and keeps its overrides', () => {
    const a = param([1]);
    const b = param([2]);
    const opt = new RMSprop([{ params: [a] }, { params: [b], lr: 0.5, momentum: 0.9 }], { lr: 0.1, centered: true });
    expect(opt.paramGroups.map(({ lr, momentum, centered, alpha }) => ({ lr, momentum, centered, alpha }))).toEqual([
      { lr: 0.1, momentum: 0, centered: true, alpha: 0.99 },
      { lr: 0.5, momentum: 0.9, centered: true, alpha: 0.99 },
    ]);
    expect(opt.defaults.lr).toBe(0.1);
  });

  it('addParamGroup adds a group and refuses a parameter already present', () => {
    const a = param([1]);
    const opt = new Adam([a]);
    opt.addParamGroup({ params: param([2]), lr: 0.01 });
    expect(opt.paramGroups[1]!.lr).toBe(0.01);
    expect(opt.paramGroups[1]!.betas).toEqual([0.9, 0.999]);
    expect(() => opt.addParamGroup({ params: [a] })).toThrowError('Adam: some parameters appear in more than one parameter group');
  });

  it('reads lr from the group at every step, so schedulers can change it', () => {
    const p = withGrad(param([1, 2]), [1, 1]);
    const opt = new SGD([p], { lr: 0.5 });
    opt.step();
    expect(Array.from(p.toArray())).toEqual([0.5, 1.5]);
    opt.paramGroups[0]!.lr = 0.25;
    opt.step();
    expect(Array.from(p.toArray())).toEqual([0.25, 1.25]);
  });

  it('returns the closure loss, skips parameters without gradients and creates no state for them', () => {
    const a = withGrad(param([1]), [1]);
    const b = param([2]);
    const opt = new Adam([a, b]);
    expect(opt.step(() => 42)).toBe(42);
    expect(opt.step()).toBeUndefined();
    expect(opt.state.has(a)).toBe(true);
    expect(opt.state.has(b)).toBe(false);
    expect(opt.state.get(a)!.step).toBe(2);
    expect(b.toArray()[0]).toBe(2);
  });

  it('zeroGrad sets gradients to null by default, or zeroes them in place', () => {
    const p = withGrad(param([1, 2]), [3, 4]);
    const opt = new SGD([p], { lr: 0.1 });
    const grad = p.grad!;
    opt.zeroGrad({ setToNone: false });
    expect(p.grad).toBe(grad);
    expect(Array.from(grad.toArray())).toEqual([0, 0]);
    opt.zeroGrad();
    expect(p.grad).toBeNull();
  });

  it('builds optimizers by class name, and descriptors cover all but LBFGS', () => {
    const opt = createOptimizer('Adam', [param([1])], { lr: 0.01 });
    expect(opt).toBeInstanceOf(Adam);
    expect(opt.paramGroups[0]!.lr).toBe(0.01);
    expect(isOptimizerName('LBFGS')).toBe(true);
    expect(isOptimizerName('Lion')).toBe(false);
    expect(() => createOptimizer('Lion' as 'Adam', [param([1])])).toThrowError(/createOptimizer: unknown optimizer 'Lion'/);
    expect(Object.keys(optimizerDescriptors)).not.toContain('LBFGS');
    for (const [name, d] of Object.entries(optimizerDescriptors)) expect(d.name).toBe(name);
  });

  it('refuses a bare tensor and an empty parameter list', () => {
    expect(() => new Adam(param([1]) as never)).toThrowError(/should be an iterable of Tensors or dicts/);
    expect(() => new Adam([])).toThrowError('Adam: optimizer got an empty parameter list');
  });
});
