import { type Tensor, tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import { Adam, AdamW, createOptimizer, LBFGS, type OptimizerStateDict, RMSprop, SGD } from '../src/index.js';

function param(values: number[], shape = [values.length]): Tensor {
  return tensor(Float64Array.from(values), { shape, dtype: 'float64', requiresGrad: true });
}

function withGrad(p: Tensor, values: number[]): Tensor {
  p.grad = tensor(Float64Array.from(values), { shape: p.shape, dtype: 'float64' });
  return p;
}

describe('optimizer options are strict: an unknown or snake_case key throws, naming the known ones', () => {
  it("Adam({ weight_decay }) names 'weightDecay' instead of training without decay", () => {
    expect(() => new Adam([param([1])], { weight_decay: 0.1 } as never)).toThrowError(
      "Adam: unknown option 'weight_decay' (did you mean 'weightDecay'?); known options: lr, betas, eps, weightDecay, amsgrad, maximize",
    );
  });

  it("Adam({ lrr }) names 'lr' instead of training at 1e-3", () => {
    expect(() => new Adam([param([1])], { lrr: 0.1 } as never)).toThrowError("Adam: unknown option 'lrr' (did you mean 'lr'?)");
  });

  it('every optimizer refuses a typo, also through createOptimizer (the CLI and trainer path)', () => {
    expect(() => new SGD([param([1])], { lr: 0.1, nesterov_: true } as never)).toThrowError("SGD: unknown option 'nesterov_'");
    expect(() => new RMSprop([param([1])], { momentum_decay: 0.1 } as never)).toThrowError("RMSprop: unknown option 'momentum_decay'");
    expect(() => new LBFGS([param([1])], { max_iter: 3 } as never)).toThrowError(
      "LBFGS: unknown option 'max_iter' (did you mean 'maxIter'?)",
    );
    expect(() => createOptimizer('AdamW', [param([1])], { weight_decay: 0.1 } as never)).toThrowError(
      "AdamW: unknown option 'weight_decay' (did you mean 'weightDecay'?)",
    );
  });

  it('a parameter group with an unknown key throws, naming the group', () => {
    expect(() => new SGD([{ params: [param([1])], weight_decay: 0.1 } as never], { lr: 0.1 })).toThrowError(
      "SGD parameter group: unknown option 'weight_decay' (did you mean 'weightDecay'?)",
    );
  });

  it('an options argument that is neither a number nor an object throws', () => {
    expect(() => new Adam([param([1])], '0.5' as never)).toThrowError('Adam: option \'lr\' must be a number, got the string "0.5"');
    expect(() => new SGD([param([1])], [0.1] as never)).toThrowError("SGD: option 'lr' must be a number, got an array");
    expect(() => new Adam([param([1])], { amsgrad: 'yes' } as never)).toThrowError(
      'Adam: option \'amsgrad\' must be a boolean, got the string "yes"',
    );
    expect(() => new Adam([param([1])], { betas: 0.9 } as never)).toThrowError("Adam: option 'betas' must be an array, got 0.9");
  });

  it('LBFGS refuses an unsupported line search when built, not at step()', () => {
    expect(() => new LBFGS([param([1])], { lineSearchFn: 'backtracking' as 'strong_wolfe' })).toThrowError(
      'LBFGS: only \'strong_wolfe\' is supported as lineSearchFn, got "backtracking"',
    );
  });
});

describe("PyTorch's positional lr: new SGD(params, 0.1), new Adam(params, 0.5)", () => {
  it('Adam(params, 0.5) takes its first step at lr 0.5, as Adam(params, { lr: 0.5 })', () => {
    // Adam's first step is lr·g/(|g| + ε·…) per element: by hand, 1 − 0.5 and 2 + 0.5.
    const positional = withGrad(param([1, 2]), [3, -4]);
    const named = withGrad(param([1, 2]), [3, -4]);
    new Adam([positional], 0.5).step();
    new Adam([named], { lr: 0.5 }).step();
    expect(Array.from(positional.toArray())).toEqual(Array.from(named.toArray()));
    expect(positional.toArray()[0]).toBeCloseTo(0.5, 7);
    expect(positional.toArray()[1]).toBeCloseTo(2.5, 7);
  });

  it('SGD(params, 0.1) and SGD(params, 0.1, { momentum }) equal the options form', () => {
    const a = withGrad(param([1, 2]), [1, -2]);
    new SGD([a], 0.1).step();
    expect(Array.from(a.toArray())).toEqual([1 - 0.1 * 1, 2 + 0.1 * 2]);

    const positional = param([1, 2]);
    const named = param([1, 2]);
    const o1 = new SGD([positional], 0.1, { momentum: 0.9 });
    const o2 = new SGD([named], { lr: 0.1, momentum: 0.9 });
    for (let i = 0; i < 3; i++) {
      withGrad(positional, [1, -2]);
      withGrad(named, [1, -2]);
      o1.step();
      o2.step();
    }
    expect(o1.paramGroups[0]!.momentum).toBe(0.9);
    expect(Array.from(positional.toArray())).toEqual(Array.from(named.toArray()));
  });

  it('lr given both ways throws', () => {
    expect(() => new SGD([param([1])], 0.1, { lr: 0.2 })).toThrowError('SGD: lr was given twice, as an argument and in the options');
  });
});

describe('a parameter given twice throws, as PyTorch does', () => {
  it('twice in one list (PyTorch only warns; it would be updated twice per step)', () => {
    const p = param([1]);
    expect(() => new SGD([p, p], 0.1)).toThrowError('SGD: a parameter group lists the same parameter twice (at positions 0 and 1)');
  });

  it('in two groups, and through addParamGroup', () => {
    const p = param([1]);
    const q = param([2]);
    expect(() => new Adam([{ params: [p] }, { params: [q, p] }])).toThrowError(
      'Adam: some parameters appear in more than one parameter group',
    );
    const adam = new Adam([p]);
    expect(() => adam.addParamGroup({ params: [q, q] })).toThrowError('Adam: a parameter group lists the same parameter twice');
    expect(() => adam.addParamGroup({ params: [p] })).toThrowError('Adam: some parameters appear in more than one parameter group');
    expect(adam.paramGroups).toHaveLength(1);
  });
});

/** An Adam that has taken one step on parameters of the given shapes. */
function steppedAdam(shapes: number[][]): { adam: Adam; params: Tensor[] } {
  const params = shapes.map((shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return withGrad(
      param(
        Array.from({ length: n }, (_, i) => i + 1),
        shape,
      ),
      Array.from({ length: n }, () => 0.5),
    );
  });
  const adam = new Adam(params, 0.1);
  adam.step();
  return { adam, params };
}

describe('loadStateDict checks at load time, before anything changes', () => {
  it('names both kinds when an Adam state goes into an SGD (it used to fail at step())', () => {
    const { adam } = steppedAdam([[2]]);
    const sgd = new SGD([withGrad(param([1, 2]), [1, 1])], 0.1, { momentum: 0.9 });
    expect(() => sgd.loadStateDict(adam.stateDict())).toThrowError('SGD.loadStateDict: the state dict was saved by Adam, not SGD');
    expect(sgd.paramGroups[0]!.lr).toBe(0.1);
    sgd.step();
  });

  it('an older state dict without the kind loads when its keys fit, and is refused when they do not', () => {
    const { adam } = steppedAdam([[2]]);
    const { optimizer: _kind, ...older } = adam.stateDict();
    const again = new Adam([param([5, 6])]);
    again.loadStateDict(older as OptimizerStateDict);
    expect(again.paramGroups[0]!.lr).toBe(0.1);
    expect(again.state.get(again.paramGroups[0]!.params[0]!)!.step).toBe(1);

    const sgd = new SGD([param([1, 2])], 0.1);
    expect(() => sgd.loadStateDict(older as OptimizerStateDict)).toThrowError(
      "SGD.loadStateDict: parameter group 0: unknown option 'betas'",
    );
  });

  it('AdamW state into Adam is refused by kind although the keys are the same', () => {
    const p = withGrad(param([1, 2]), [1, 1]);
    const adamw = new AdamW([p]);
    adamw.step();
    expect(() => new Adam([param([1, 2])]).loadStateDict(adamw.stateDict())).toThrowError(
      'Adam.loadStateDict: the state dict was saved by AdamW, not Adam',
    );
  });

  it("PyTorch's messages for a different number or size of groups", () => {
    const { adam } = steppedAdam([[2], [3]]);
    const three = new Adam([param([1, 2]), param([1, 2, 3]), param([1])]);
    expect(() => three.loadStateDict(adam.stateDict())).toThrowError(
      "Adam.loadStateDict: loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
    );
    const two = new Adam([{ params: [param([1, 2])] }, { params: [param([1, 2, 3])] }, { params: [param([1])] }]);
    expect(() => two.loadStateDict(adam.stateDict())).toThrowError(
      'Adam.loadStateDict: loaded state dict has a different number of parameter groups',
    );
  });

  it('a state tensor of another shape (same element count) throws naming the key and both shapes', () => {
    const { adam } = steppedAdam([[2, 3]]);
    const transposed = new Adam([param([1, 2, 3, 4, 5, 6], [3, 2])]);
    expect(() => transposed.loadStateDict(adam.stateDict())).toThrowError(
      "Adam.loadStateDict: state of parameter 0: 'expAvg' has shape [2,3], but must have shape [3,2]",
    );
    expect(transposed.state.size).toBe(0);
  });

  it('a state with a buffer its options do not use, or without its step count, throws', () => {
    const { adam } = steppedAdam([[2]]);
    const saved = adam.stateDict();
    const amsgradOff = new Adam([param([1, 2])]);
    const withExtra = { ...saved, state: { 0: { ...saved.state[0]!, maxExpAvgSq: saved.state[0]!.expAvg! } } };
    expect(() => amsgradOff.loadStateDict(withExtra)).toThrowError(
      "Adam.loadStateDict: state of parameter 0 holds 'maxExpAvgSq', which Adam does not keep here (it keeps step, expAvg, expAvgSq)",
    );
    const { step: _step, ...noStep } = saved.state[0]!;
    expect(() => amsgradOff.loadStateDict({ ...saved, state: { 0: noStep } })).toThrowError(
      "Adam.loadStateDict: state of parameter 0 lacks 'step'",
    );
  });

  it('group options are validated as in the constructor', () => {
    const { adam } = steppedAdam([[2]]);
    const saved = adam.stateDict();
    const bad = { ...saved, paramGroups: [{ ...saved.paramGroups[0]!, lr: -1 }] };
    expect(() => new Adam([param([1, 2])]).loadStateDict(bad)).toThrowError('Invalid learning rate: -1');
  });
});

describe('zeroGrad(setToNone) as in PyTorch', () => {
  it('zeroGrad(false) zeroes in place, zeroGrad() sets to null, a misspelt option throws', () => {
    const p = withGrad(param([1, 2]), [3, 4]);
    const sgd = new SGD([p], 0.1);
    sgd.zeroGrad(false);
    expect(Array.from(p.grad!.toArray())).toEqual([0, 0]);
    sgd.zeroGrad({ setToNone: false });
    expect(p.grad).not.toBeNull();
    expect(() => sgd.zeroGrad({ set_to_none: false } as never)).toThrowError(
      "SGD.zeroGrad: unknown option 'set_to_none' (did you mean 'setToNone'?)",
    );
    sgd.zeroGrad();
    expect(p.grad).toBeNull();
  });
});
