import { tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import {
  CosineAnnealingLR,
  createScheduler,
  ExponentialLR,
  ReduceLROnPlateau,
  SCHEDULER_OPTIONS,
  SequentialLR,
  SGD,
  StepLR,
} from '../src/index.js';

function sgd(): SGD {
  return new SGD([tensor(Float64Array.from([1]), { dtype: 'float64', requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
}

const REASON = 'verbose is not supported (PyTorch deprecated it in 2.2); leave it out and print scheduler.getLastLr() after step() instead';

describe("PyTorch's deprecated verbose is refused, saying why and what to do (it was accepted and did nothing)", () => {
  it('by every scheduler class that takes options, true or false alike', () => {
    expect(() => new StepLR(sgd(), { stepSize: 2, verbose: true } as never)).toThrow(`StepLR: ${REASON}`);
    expect(() => new CosineAnnealingLR(sgd(), { TMax: 10, verbose: false } as never)).toThrow(`CosineAnnealingLR: ${REASON}`);
    expect(() => new ReduceLROnPlateau(sgd(), { patience: 2, verbose: true } as never)).toThrow(`ReduceLROnPlateau: ${REASON}`);
    const optimizer = sgd();
    const inner = new ExponentialLR(optimizer, { gamma: 0.9 });
    expect(() => new SequentialLR(optimizer, { schedulers: [inner], milestones: [], verbose: true } as never)).toThrow(
      `SequentialLR: ${REASON}`,
    );
  });

  it('by createScheduler, and no scheduler lists it among its options', () => {
    expect(() => createScheduler('StepLR', sgd(), { stepSize: 2, verbose: true })).toThrow(`createScheduler: StepLR: ${REASON}`);
    for (const [name, kinds] of Object.entries(SCHEDULER_OPTIONS)) expect(Object.keys(kinds), name).not.toContain('verbose');
  });
});
