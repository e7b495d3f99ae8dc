import { Linear, tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import { Adam, ChainedScheduler, CyclicLR, ExponentialLR, LBFGS, Rprop, SGD, StepLR } from '../src/index.js';

/** What an audit of every optimizer and scheduler option found passing silently. */
const params = () => new Linear(2, 2).parameters();
const asAny = <T>(value: unknown): T => value as T;

describe('optimizers refuse hyperparameters that would turn every weight into NaN', () => {
  it('a NaN lr, positional or in options (PyTorch 1.13 lets it through SGD)', () => {
    expect(() => new SGD(params(), NaN)).toThrow("SGD: option 'lr' is NaN");
    expect(() => new Adam(params(), { lr: 0.1, eps: NaN })).toThrow("Adam: option 'eps' is NaN");
    expect(() => new SGD([{ params: params(), momentum: NaN }], 0.1)).toThrow("SGD parameter group: option 'momentum' is NaN");
  });

  it('a pair given with one value (betas [0.9] left beta2 undefined)', () => {
    expect(() => new Adam(params(), { betas: [0.9] } as never)).toThrow("Adam: option 'betas' must be 2 numbers, got [0.9]");
    expect(() => new Rprop(params(), { etas: [0.5, 1.2, 2] } as never)).toThrow("Rprop: option 'etas' must be 2 numbers, got [0.5,1.2,2]");
    expect(new Adam(params(), { betas: [0.8, 0.9] }).paramGroups[0]!.betas).toEqual([0.8, 0.9]);
  });

  it('LBFGS refuses a negative lr (PyTorch 1.13 accepts it and climbs the loss)', () => {
    expect(() => new LBFGS(params(), -1)).toThrow('Invalid learning rate: -1.0');
  });
});

describe('schedulers refuse options they would ignore or turn into NaN', () => {
  const momentumSgd = () => new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });

  it("CyclicLR's scaleMode: a bad value, or one without a scaleFn (PyTorch overwrites it silently)", () => {
    expect(() => new CyclicLR(momentumSgd(), asAny({ baseLr: 0.01, maxLr: 0.1, scaleFn: () => 1, scaleMode: 'avg' }))).toThrow(
      `CyclicLR: scaleMode must be 'cycle' or 'iterations', got "avg"`,
    );
    expect(() => new CyclicLR(momentumSgd(), { baseLr: 0.01, maxLr: 0.1, scaleMode: 'iterations' })).toThrow(
      "CyclicLR: scaleMode applies to a scaleFn only; mode 'triangular' fixes its own",
    );
    expect(new CyclicLR(momentumSgd(), { baseLr: 0.01, maxLr: 0.1, scaleFn: () => 1, scaleMode: 'iterations' }).scaleMode).toBe(
      'iterations',
    );
  });

  it("ChainedScheduler's optimizer argument (PyTorch 2.2) is checked, not ignored", () => {
    const optimizer = momentumSgd();
    const steps = [new StepLR(optimizer, { stepSize: 1 })];
    expect(() => new ChainedScheduler(steps, momentumSgd())).toThrow(
      'ChainedScheduler: ChainedScheduler expects all schedulers to belong to the same optimizer, but got the scheduler at index 0 on another one than the optimizer given',
    );
    expect(new ChainedScheduler(steps, optimizer).getLastLr()).toEqual([0.1]);
  });

  it('a NaN number option', () => {
    expect(() => new ExponentialLR(momentumSgd(), { gamma: NaN })).toThrow("ExponentialLR: option 'gamma' is NaN");
  });
});
