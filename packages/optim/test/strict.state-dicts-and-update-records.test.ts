import { Linear, tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import {
  Adam,
  adamUpdate,
  createOptimizer,
  ExponentialLR,
  LBFGS,
  ReduceLROnPlateau,
  rmspropUpdate,
  SequentialLR,
  SGD,
  sgdUpdate,
  StepLR,
} from '../src/index.js';

/** Arguments an optimizer or scheduler used to ignore, and update records that used to produce NaN parameters. */
const params = () => new Linear(2, 2).parameters();
const asAny = <T>(value: unknown): T => value as T;

describe("optimizers' stateDict, loadStateDict and step refuse what they would ignore", () => {
  it('stateDict takes no arguments and loadStateDict only the state dict, as in PyTorch', () => {
    const adam = new Adam(params());
    expect(() => adam.stateDict(asAny({ keepVars: true }))).toThrowError(
      'Adam.stateDict: takes no arguments, got 1 (an object { keepVars: true })',
    );
    const sd = adam.stateDict();
    expect(() => adam.loadStateDict(sd, asAny({ strict: false }))).toThrowError(
      'Adam.loadStateDict: takes the state dict only, got 1 more (an object { strict: false })',
    );
    expect(() => adam.loadStateDict(asAny(null))).toThrowError(
      'Adam.loadStateDict: expected { state, paramGroups } as stateDict() returns it, got null',
    );
  });

  it('step takes an optional closure only (a number was ignored, a string failed as "closure is not a function")', () => {
    const sgd = new SGD(params(), 0.1);
    expect(() => sgd.step('closure' as never)).toThrowError(
      'SGD.step: closure must be a function that recomputes the loss, got the string "closure"',
    );
    expect(() => sgd.step(undefined, asAny(1))).toThrowError('SGD.step: takes an optional closure only, got 1 more (1)');
    expect(() => new LBFGS(params()).step(5 as never)).toThrowError(
      'LBFGS.step: closure must be a function that recomputes the loss, got 5',
    );
  });

  it('params and createOptimizer options of the wrong kind throw naming them', () => {
    expect(() => new SGD(asAny(null), 0.1)).toThrowError(
      'SGD: params argument given to the optimizer should be an iterable of Tensors or dicts, but got null',
    );
    expect(() => createOptimizer('Adam', params(), asAny(null))).toThrowError(
      "createOptimizer: Adam's options must be an object, got null",
    );
    expect(() => createOptimizer('Adam', params(), asAny(0.1))).toThrowError("createOptimizer: Adam's options must be an object, got 0.1");
  });
});

describe("schedulers' stateDict, loadStateDict and step refuse what they would ignore", () => {
  const sgd = () => new SGD(params(), 0.1);

  it('stateDict takes no arguments, loadStateDict a state object only', () => {
    const s = new StepLR(sgd(), { stepSize: 2 });
    expect(() => s.stateDict(asAny(1))).toThrowError('StepLR.stateDict: takes no arguments, got 1 (1)');
    expect(() => s.loadStateDict(s.stateDict(), asAny(true))).toThrowError('StepLR.loadStateDict: takes the state only, got 1 more (true)');
    expect(() => s.loadStateDict(asAny(null))).toThrowError(
      'StepLR.loadStateDict: expected a state object as stateDict() returns it, got null',
    );
    // An array or a number used to load as an empty state, silently.
    expect(() => s.loadStateDict(asAny([]))).toThrowError(
      'StepLR.loadStateDict: expected a state object as stateDict() returns it, got an array []',
    );
    const plateau = new ReduceLROnPlateau(sgd());
    expect(() => plateau.stateDict(asAny({}))).toThrowError('ReduceLROnPlateau.stateDict: takes no arguments');
    expect(() => plateau.loadStateDict(asAny(7))).toThrowError(
      'ReduceLROnPlateau.loadStateDict: expected a state object as stateDict() returns it, got 7',
    );
  });

  it('step takes an optional epoch that is a number (a string became lastEpoch and every lr NaN)', () => {
    const opt = sgd();
    const s = new ExponentialLR(opt, { gamma: 0.5 });
    expect(() => s.step(asAny('1'))).toThrowError('ExponentialLR.step: epoch must be a number, got the string "1"');
    expect(() => s.step(1, asAny(2))).toThrowError('ExponentialLR.step: takes an optional epoch only, got 1 more (2)');
    expect(opt.paramGroups[0]!.lr).toBe(0.1);
    const o2 = sgd();
    const seq = new SequentialLR(o2, { schedulers: [new StepLR(o2, { stepSize: 1 }), new StepLR(o2, { stepSize: 1 })], milestones: [1] });
    expect(() => seq.step(asAny(3))).toThrowError('SequentialLR.step: takes no arguments, got 1 (3)');
    expect(() => new ReduceLROnPlateau(sgd()).step(1, 2, asAny(3))).toThrowError(
      'ReduceLROnPlateau.step: takes the metric and an optional epoch only, got 1 more (3)',
    );
  });
});

describe('the exported pure updates check their records once per call', () => {
  const hyper = { lr: 0.1, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };
  const state = () => ({ expAvg: new Float64Array(1), expAvgSq: new Float64Array(1) });

  it("a complete record gives Adam's first step, θ − lr·g/(|g| + ε) (hand-computed)", () => {
    const param = new Float64Array([1]);
    adamUpdate(param, new Float64Array([0.5]), state(), hyper, 1);
    expect(param[0]).toBeCloseTo(1 - (0.1 * 0.5) / (0.5 + 1e-8), 12);
  });

  it('a missing, NaN or mistyped hyperparameter throws naming it (each used to make the parameter NaN)', () => {
    const run = (h: object, step = 1) => adamUpdate(new Float64Array([1]), new Float64Array([0.5]), state(), asAny(h), step);
    const { eps: _eps, ...noEps } = hyper;
    expect(() => run(noEps)).toThrowError('adamUpdate: hyper.eps must be a number, got undefined');
    expect(() => run({ ...hyper, lr: NaN })).toThrowError('adamUpdate: hyper.lr must be a number, got NaN');
    expect(() => run({ ...hyper, lr: '0.1' })).toThrowError('adamUpdate: hyper.lr must be a number, got the string "0.1"');
    expect(() => run({ ...hyper, betas: [0.9] })).toThrowError('adamUpdate: hyper.betas must be two numbers, got an array [0.9]');
    expect(() => run({ ...hyper, amsgrad: 1 })).toThrowError('adamUpdate: hyper.amsgrad must be true or false, got 1');
    expect(() => run(hyper, 0)).toThrowError('adamUpdate: step must be the 1-based step count, an integer ≥ 1, got 0');
    expect(() => run(hyper, NaN)).toThrowError('adamUpdate: step must be the 1-based step count, an integer ≥ 1, got NaN');
  });

  it('a missing state buffer or a slice that is not a float array throws naming it', () => {
    expect(() => adamUpdate(new Float64Array([1]), new Float64Array([0.5]), asAny({ expAvg: new Float64Array(1) }), hyper, 1)).toThrowError(
      'adamUpdate: state.expAvgSq must be a Float32Array or Float64Array, got undefined',
    );
    expect(() => adamUpdate(new Float64Array([1]), asAny([0.5]), state(), hyper, 1)).toThrowError(
      'adamUpdate: grad must be a Float32Array or Float64Array, got an array [0.5]',
    );
    const sgdHyper = { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };
    expect(() => sgdUpdate(new Float32Array([1]), new Float32Array([1]), {}, sgdHyper, 1)).toThrowError(
      'sgdUpdate: state.momentumBuffer must be a Float32Array or Float64Array, got undefined',
    );
    const rms = { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: true, maximize: false };
    expect(() =>
      rmspropUpdate(new Float64Array([1]), new Float64Array([1]), asAny({ squareAvg: new Float64Array(1) }), rms, 1),
    ).toThrowError('rmspropUpdate: state.gradAvg must be a Float32Array or Float64Array, got undefined');
  });

  it('the classes, which build complete records, step as before', () => {
    const w = tensor([1], { dtype: 'float64', requiresGrad: true });
    const adam = new Adam([w], 0.1);
    w.grad = tensor([0.5], { dtype: 'float64' });
    adam.step();
    expect(w.item()).toBeCloseTo(1 - (0.1 * 0.5) / (0.5 + 1e-8), 12);
  });
});
