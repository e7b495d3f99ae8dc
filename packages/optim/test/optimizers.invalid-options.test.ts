import { tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import { Adam, SGD, SparseAdam } from '../src/index.js';
import { pyFloat } from '../src/python-format.js';
import { buildOptimizer, cases } from './helpers/optimizer-fixture.js';

const raising = cases.filter((c) => c.raises === true);

/** The message of the error `fn` throws (PyTorch's ValueErrors are RangeErrors or TypeErrors here). */
function thrownMessage(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof Error) return error.message;
  }
  return undefined;
}

function param(): ReturnType<typeof tensor> {
  return tensor(Float64Array.of(1, 2, 3), { dtype: 'float64', requiresGrad: true });
}

describe('invalid hyperparameters are refused with PyTorch 1.13 messages', () => {
  it.each(raising.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    // The fixture's cases with parameter groups index two parameters.
    const params = [param(), param()];
    const build = (): unknown =>
      buildOptimizer(c.param_groups ? c : { ...c, param_groups: undefined }, c.param_groups ? params : [params[0]!]);
    expect(thrownMessage(build)).toBe(c.message);
  });

  it('checks group overrides as well as the defaults', () => {
    expect(() => new Adam([{ params: [param()], lr: -1 }])).toThrowError('Invalid learning rate: -1.0');
  });

  it('accepts an SGD whose every group sets lr', () => {
    const sgd = new SGD([{ params: [param()], lr: 0.1 }]);
    expect(sgd.paramGroups[0]!.lr).toBe(0.1);
  });

  it('refuses sparse gradients where PyTorch does, and dense ones in SparseAdam', () => {
    const p = param();
    p.grad = tensor(Float64Array.of(1, 1, 1), { dtype: 'float64' });
    expect(() => new SparseAdam([p]).step()).toThrowError('SparseAdam does not support dense gradients, please consider Adam instead');
  });

  it('writes numbers as Python repr does', () => {
    expect([0, -0.1, 1, -1e-8, 1e-4, 1e-5, 1e16, 123.5, NaN, -Infinity].map(pyFloat)).toEqual([
      '0.0',
      '-0.1',
      '1.0',
      '-1e-08',
      '0.0001',
      '1e-05',
      '1e+16',
      '123.5',
      'nan',
      '-inf',
    ]);
  });
});
