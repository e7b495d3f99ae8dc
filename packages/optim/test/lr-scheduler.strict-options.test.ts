import { tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import { CosineAnnealingLR, createScheduler, OneCycleLR, ReduceLROnPlateau, SGD, StepLR } from '../src/index.js';

function sgd(lr = 0.1): SGD {
  return new SGD([tensor(Float64Array.from([1]), { dtype: 'float64', requiresGrad: true })], { lr, momentum: 0.9 });
}

describe('scheduler options are strict', () => {
  it("StepLR({ step_size }) names 'stepSize'", () => {
    expect(() => new StepLR(sgd(), { step_size: 2 } as never)).toThrowError(
      "StepLR: unknown option 'step_size' (did you mean 'stepSize'?); known options: stepSize, gamma, lastEpoch",
    );
  });

  it('a typo in a long option list is named too', () => {
    expect(() => new OneCycleLR(sgd(), { maxLr: 1, totalSteps: 10, pct_start: 0.5 } as never)).toThrowError(
      "OneCycleLR: unknown option 'pct_start' (did you mean 'pctStart'?)",
    );
    expect(() => new ReduceLROnPlateau(sgd(), { min_lr: 0.01 } as never)).toThrowError(
      "ReduceLROnPlateau: unknown option 'min_lr' (did you mean 'minLr'?)",
    );
  });

  it('required options missing altogether, or a number instead of the options object, throw', () => {
    expect(() => new StepLR(sgd(), undefined as never)).toThrowError('StepLR: options { stepSize } are required');
    expect(() => new CosineAnnealingLR(sgd(), 10 as never)).toThrowError(
      'CosineAnnealingLR: options must be an object of TMax, etaMin, lastEpoch, but got 10',
    );
  });
});

describe('ReduceLROnPlateau.step() needs its metric, as in PyTorch', () => {
  it('throws without one and leaves the lr alone (it used to count a bad epoch and cut the lr)', () => {
    const optimizer = sgd(0.1);
    const scheduler = new ReduceLROnPlateau(optimizer, { patience: 0 });
    scheduler.step(1);
    expect(() => (scheduler.step as (metric?: number) => void)()).toThrowError('ReduceLROnPlateau.step: needs the metric it monitors');
    expect(() => scheduler.step('0.5' as never)).toThrowError('ReduceLROnPlateau.step: needs the metric it monitors');
    expect(optimizer.paramGroups[0]!.lr).toBe(0.1);
    expect(scheduler.numBadEpochs).toBe(0);
  });

  it('takes a one-element tensor as the number it holds', () => {
    const a = sgd(0.1);
    const b = sgd(0.1);
    const byNumber = new ReduceLROnPlateau(a, { patience: 0 });
    const byTensor = new ReduceLROnPlateau(b, { patience: 0 });
    for (const metric of [1, 2, 3]) {
      byNumber.step(metric);
      byTensor.step(tensor(Float64Array.from([metric]), { shape: [], dtype: 'float64' }));
    }
    // Two epochs without improvement with patience 0: two cuts by 0.1.
    expect(b.paramGroups[0]!.lr).toBeCloseTo(0.001, 12);
    expect(b.paramGroups[0]!.lr).toBe(a.paramGroups[0]!.lr);
  });
});

describe('scheduler loadStateDict refuses a state that does not fit', () => {
  it("another scheduler's state throws naming the unexpected key", () => {
    const step = new StepLR(sgd(), { stepSize: 2 });
    const cosine = new CosineAnnealingLR(sgd(), { TMax: 4 });
    expect(() => cosine.loadStateDict(step.stateDict())).toThrowError(
      "CosineAnnealingLR.loadStateDict: unexpected key 'stepSize' in state",
    );
  });

  it('a value of another type, or lrs for another number of groups, throw', () => {
    const scheduler = new StepLR(sgd(), { stepSize: 2 });
    expect(() => scheduler.loadStateDict({ ...scheduler.stateDict(), gamma: '0.1' })).toThrowError(
      "StepLR.loadStateDict: 'gamma' is a string in the state, but a number here",
    );
    expect(() => scheduler.loadStateDict({ ...scheduler.stateDict(), baseLrs: [0.1, 0.2] })).toThrowError(
      "StepLR.loadStateDict: 'baseLrs' holds 2 values, but 1 are expected",
    );
  });

  it('ReduceLROnPlateau refuses a state with a missing or foreign key', () => {
    const scheduler = new ReduceLROnPlateau(sgd());
    const { best: _best, ...noBest } = scheduler.stateDict();
    expect(() => scheduler.loadStateDict(noBest)).toThrowError("ReduceLROnPlateau.loadStateDict: the state lacks the key 'best'");
    expect(() => scheduler.loadStateDict({ ...scheduler.stateDict(), stepSize: 3 })).toThrowError(
      "ReduceLROnPlateau.loadStateDict: the state has the unexpected key 'stepSize'",
    );
  });

  it('createScheduler refuses snake_case with the same hint', () => {
    expect(() => createScheduler('CosineAnnealingLR', sgd(), { T_max: 3 })).toThrowError(
      "createScheduler: CosineAnnealingLR: unknown option 'T_max' (did you mean 'TMax'?)",
    );
  });
});
