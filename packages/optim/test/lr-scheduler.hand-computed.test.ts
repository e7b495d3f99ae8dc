import { describe, expect, it } from 'vitest';
import {
  ChainedScheduler,
  ConstantLR,
  CosineAnnealingWarmRestarts,
  ExponentialLR,
  LambdaLR,
  MultiplicativeLR,
  OneCycleLR,
  SequentialLR,
  StepLR,
  type LRScheduler,
  type SchedulableOptimizer,
} from '../src/index.js';
import { expectSequence, loadSchedulerCases } from './lr-scheduler.fixture.js';

/** The lr of every group in effect during each of `epochs` epochs. */
function lrsPerEpoch(optimizer: SchedulableOptimizer, scheduler: LRScheduler, epochs: number): number[][] {
  const out: number[][] = [];
  for (let e = 0; e < epochs; e++) {
    out.push(optimizer.paramGroups.map((g) => g.lr));
    scheduler.step();
  }
  return out;
}

describe('LambdaLR', () => {
  it('sets each group to its initial lr times its own lambda', () => {
    const optimizer: SchedulableOptimizer = { paramGroups: [{ lr: 0.1 }, { lr: 2 }] };
    const scheduler = new LambdaLR(optimizer, { lrLambda: [(e) => Math.floor(e / 3), (e) => 1 / (e + 1)] });
    const lrs = lrsPerEpoch(optimizer, scheduler, 7);
    expectSequence(
      lrs.map((g) => g[0]!),
      [0, 0, 0, 0.1, 0.1, 0.1, 0.2],
      'group 0',
    );
    expectSequence(
      lrs.map((g) => g[1]!),
      [2, 1, 2 / 3, 0.5, 0.4, 2 / 6, 2 / 7],
      'group 1',
    );
    expect(optimizer.paramGroups.map((g) => g.initialLr)).toEqual([0.1, 2]);
  });

  it('applies one lambda to every group', () => {
    const optimizer: SchedulableOptimizer = { paramGroups: [{ lr: 1 }, { lr: 3 }] };
    const scheduler = new LambdaLR(optimizer, { lrLambda: (e) => 0.5 ** e });
    scheduler.step();
    scheduler.step();
    expect(scheduler.getLastLr()).toEqual([0.25, 0.75]);
  });
});

describe('MultiplicativeLR', () => {
  it('multiplies the current lr by the lambda of each epoch after the first', () => {
    const optimizer: SchedulableOptimizer = { paramGroups: [{ lr: 0.1 }] };
    const scheduler = new MultiplicativeLR(optimizer, { lrLambda: (e) => (e % 2 === 0 ? 0.5 : 0.9) });
    const lrs = lrsPerEpoch(optimizer, scheduler, 5).map((g) => g[0]!);
    expectSequence(lrs, [0.1, 0.09, 0.045, 0.0405, 0.02025], 'lr');
  });

  it('composes with an outside change of the lr', () => {
    const optimizer: SchedulableOptimizer = { paramGroups: [{ lr: 1 }] };
    const scheduler = new MultiplicativeLR(optimizer, { lrLambda: () => 0.5 });
    optimizer.paramGroups[0]!.lr = 4;
    scheduler.step();
    expect(scheduler.getLastLr()).toEqual([2]);
  });
});

describe('composite schedulers', () => {
  // PyTorch's docstring lists 0.1, 0.1, 0.9, … but its code restarts ExponentialLR with the closed
  // form at the milestone, so epoch 2 runs at the initial lr; the fixture case confirms the code.
  it('SequentialLR of ConstantLR(0.1, 2) then ExponentialLR(0.9) at milestone 2', () => {
    const optimizer: SchedulableOptimizer = { paramGroups: [{ lr: 1 }] };
    const s1 = new ConstantLR(optimizer, { factor: 0.1, totalIters: 2 });
    const s2 = new ExponentialLR(optimizer, { gamma: 0.9 });
    const scheduler = new SequentialLR(optimizer, { schedulers: [s1, s2], milestones: [2] });
    const lrs = lrsPerEpoch(optimizer, scheduler, 5).map((g) => g[0]!);
    expectSequence(lrs, [0.1, 0.1, 1, 0.9, 0.81], 'lr');
  });

  it('ChainedScheduler of ConstantLR(0.1, 2) and ExponentialLR(0.9)', () => {
    const optimizer: SchedulableOptimizer = { paramGroups: [{ lr: 1 }] };
    const scheduler = new ChainedScheduler([
      new ConstantLR(optimizer, { factor: 0.1, totalIters: 2 }),
      new ExponentialLR(optimizer, { gamma: 0.9 }),
    ]);
    const lrs = lrsPerEpoch(optimizer, scheduler, 5).map((g) => g[0]!);
    expectSequence(lrs, [0.1, 0.09, 0.81, 0.729, 0.6561], 'lr');
  });
});

describe('step(epoch) jumps with the closed form', () => {
  it('StepLR', () => {
    const optimizer: SchedulableOptimizer = { paramGroups: [{ lr: 1 }] };
    const scheduler = new StepLR(optimizer, { stepSize: 3, gamma: 0.5 });
    scheduler.step(7);
    expect(scheduler.getLastLr()).toEqual([0.25]);
    expect(scheduler.lastEpoch).toBe(7);
  });

  it('CosineAnnealingWarmRestarts at a fractional epoch', () => {
    const optimizer: SchedulableOptimizer = { paramGroups: [{ lr: 0.1 }] };
    const scheduler = new CosineAnnealingWarmRestarts(optimizer, { T0: 10, TMult: 2, etaMin: 0.01 });
    // 15.5 epochs = a full first period of 10, then 5.5 into the second period of 20.
    scheduler.step(15.5);
    const expected = 0.01 + ((0.1 - 0.01) * (1 + Math.cos((Math.PI * 5.5) / 20))) / 2;
    expectSequence(scheduler.getLastLr(), [expected], 'lr');
    expect(scheduler.lastEpoch).toBe(15);
    expect([scheduler.TCur, scheduler.Ti]).toEqual([5.5, 20]);
  });
});

describe('OneCycleLR', () => {
  it('cycles betas[0] of an Adam-like optimizer as it cycles SGD momentum', () => {
    const c = loadSchedulerCases().find((x) => x.scheduler === 'OneCycleLR')!;
    const optimizer: SchedulableOptimizer = {
      paramGroups: [{ lr: c.base_lr, betas: [0.9, 0.999] }],
      defaults: { lr: c.base_lr, betas: [0.9, 0.999] },
    };
    const scheduler = new OneCycleLR(optimizer, { maxLr: 1, totalSteps: 40, annealStrategy: 'cos' });
    const beta1: number[] = [];
    const beta2: number[] = [];
    for (let e = 0; e < c.epochs; e++) {
      const betas = optimizer.paramGroups[0]!.betas!;
      beta1.push(betas[0]);
      beta2.push(betas[1]);
      scheduler.step();
    }
    expectSequence(beta1, c.momentums!, 'beta1');
    expect(new Set(beta2)).toEqual(new Set([0.999]));
    expect(optimizer.paramGroups[0]!.momentum).toBeUndefined();
  });

  it('derives totalSteps from epochs * stepsPerEpoch', () => {
    const a: SchedulableOptimizer = { paramGroups: [{ lr: 0.1, momentum: 0 }] };
    const b: SchedulableOptimizer = { paramGroups: [{ lr: 0.1, momentum: 0 }] };
    const byTotal = new OneCycleLR(a, { maxLr: 0.5, totalSteps: 12 });
    const byEpochs = new OneCycleLR(b, { maxLr: 0.5, epochs: 3, stepsPerEpoch: 4 });
    expect(lrsPerEpoch(b, byEpochs, 12)).toEqual(lrsPerEpoch(a, byTotal, 12));
  });
});
