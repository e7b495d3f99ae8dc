import { describe, expect, it } from 'vitest';
import {
  ChainedScheduler,
  ConstantLR,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  createScheduler,
  CyclicLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  MultiplicativeLR,
  OneCycleLR,
  ReduceLROnPlateau,
  SequentialLR,
  StepLR,
  type LRScheduler,
  type SchedulableOptimizer,
} from '../src/index.js';
import { expectSequence } from './lr-scheduler.fixture.js';

const sgd = (): SchedulableOptimizer => ({ paramGroups: [{ lr: 0.1, momentum: 0 }] });
const noMomentum = (): SchedulableOptimizer => ({ paramGroups: [{ lr: 0.1 }] });

describe('bad scheduler options throw PyTorch’s messages, naming the scheduler', () => {
  it('OneCycleLR', () => {
    expect(() => new OneCycleLR(sgd(), { maxLr: 1 })).toThrow(
      'OneCycleLR: You must define either totalSteps OR (epochs AND stepsPerEpoch)',
    );
    expect(() => new OneCycleLR(sgd(), { maxLr: 1, totalSteps: 0 })).toThrow('OneCycleLR: Expected positive integer totalSteps, but got 0');
    expect(() => new OneCycleLR(sgd(), { maxLr: 1, epochs: 3 })).toThrow(
      'OneCycleLR: Expected positive integer stepsPerEpoch, but got undefined',
    );
    expect(() => new OneCycleLR(sgd(), { maxLr: 1, totalSteps: 10, pctStart: 1.5 })).toThrow(
      'OneCycleLR: Expected float between 0 and 1 pctStart, but got 1.5',
    );
    expect(() => new OneCycleLR(sgd(), { maxLr: 1, totalSteps: 10, annealStrategy: 'exp' as 'cos' })).toThrow(
      "OneCycleLR: annealStrategy must by one of 'cos' or 'linear', instead got exp",
    );
    expect(() => new OneCycleLR(noMomentum(), { maxLr: 1, totalSteps: 10 })).toThrow(
      'OneCycleLR: optimizer must support momentum with `cycleMomentum` option enabled',
    );
    expect(() => new OneCycleLR(sgd(), { maxLr: [1, 2], totalSteps: 10 })).toThrow('OneCycleLR: expected 1 values for maxLr, got 2');
  });

  it('OneCycleLR refuses to step past totalSteps', () => {
    const scheduler = new OneCycleLR(sgd(), { maxLr: 1, totalSteps: 3 });
    for (let i = 0; i < 3; i++) scheduler.step();
    expect(() => scheduler.step()).toThrow('OneCycleLR: Tried to step 4 times. The specified number of total steps is 3');
  });

  it('CyclicLR', () => {
    expect(() => new CyclicLR(sgd(), { baseLr: 0.01, maxLr: 0.1, mode: 'sawtooth' as 'triangular' })).toThrow(
      "CyclicLR: mode is invalid and scaleFn is None (got mode 'sawtooth')",
    );
    expect(() => new CyclicLR(noMomentum(), { baseLr: 0.01, maxLr: 0.1 })).toThrow(
      'CyclicLR: optimizer must support momentum with `cycleMomentum` option enabled',
    );
  });

  it('step-family and cosine schedulers', () => {
    expect(() => new StepLR(sgd(), { stepSize: 0 })).toThrow('StepLR: Expected positive integer stepSize, but got 0');
    expect(() => new ExponentialLR(sgd(), {} as { gamma: number })).toThrow('ExponentialLR: gamma must be a number, but got undefined');
    expect(() => new ConstantLR(sgd(), { factor: 1.5 })).toThrow(
      'ConstantLR: Constant multiplicative factor expected to be between 0 and 1, but got 1.5',
    );
    expect(() => new LinearLR(sgd(), { startFactor: 0 })).toThrow(
      'LinearLR: Starting multiplicative factor expected to be greater than 0 and less or equal to 1, but got 0',
    );
    expect(() => new LinearLR(sgd(), { endFactor: 2 })).toThrow(
      'LinearLR: Ending multiplicative factor expected to be between 0 and 1, but got 2',
    );
    expect(() => new CosineAnnealingLR(sgd(), { TMax: 0 })).toThrow('CosineAnnealingLR: Expected positive TMax, but got 0');
    expect(() => new CosineAnnealingWarmRestarts(sgd(), { T0: 2.5 })).toThrow(
      'CosineAnnealingWarmRestarts: Expected positive integer T0, but got 2.5',
    );
    expect(() => new CosineAnnealingWarmRestarts(sgd(), { T0: 5, TMult: 0 })).toThrow(
      'CosineAnnealingWarmRestarts: Expected integer TMult >= 1, but got 0',
    );
    expect(() => new CosineAnnealingWarmRestarts(sgd(), { T0: 5 }).step(-1)).toThrow(
      'CosineAnnealingWarmRestarts: Expected non-negative epoch, but got -1',
    );
  });

  it('a scheduler resumed (lastEpoch given) on an optimizer that never had one', () => {
    expect(() => new StepLR(sgd(), { stepSize: 2, lastEpoch: 4 })).toThrow(
      "StepLR: param 'initialLr' is not specified in paramGroups[0] when resuming an optimizer",
    );
  });

  it('ReduceLROnPlateau', () => {
    expect(() => new ReduceLROnPlateau(sgd(), { factor: 1 })).toThrow('ReduceLROnPlateau: Factor should be < 1.0, but got 1');
    expect(() => new ReduceLROnPlateau(sgd(), { mode: 'median' as 'min' })).toThrow('ReduceLROnPlateau: mode median is unknown!');
    expect(() => new ReduceLROnPlateau(sgd(), { thresholdMode: 'log' as 'rel' })).toThrow(
      'ReduceLROnPlateau: threshold mode log is unknown!',
    );
    expect(() => new ReduceLROnPlateau(sgd(), { minLr: [0, 0] })).toThrow('ReduceLROnPlateau: expected 1 values for minLr, got 2');
  });

  it('LambdaLR and MultiplicativeLR', () => {
    const two: SchedulableOptimizer = { paramGroups: [{ lr: 0.1 }, { lr: 0.2 }] };
    expect(() => new LambdaLR(two, { lrLambda: [() => 1] })).toThrow('LambdaLR: Expected 2 lrLambdas, but got 1');
    expect(() => new MultiplicativeLR(sgd(), { lrLambda: 0.9 as unknown as () => number })).toThrow(
      'MultiplicativeLR: lrLambda should be a function, but got number',
    );
  });

  it('SequentialLR and ChainedScheduler', () => {
    const a = sgd();
    const b = sgd();
    const onA = new ExponentialLR(a, { gamma: 0.9 });
    const onB = new ExponentialLR(b, { gamma: 0.9 });
    expect(() => new SequentialLR(a, { schedulers: [onA, onB], milestones: [2] })).toThrow(
      'SequentialLR: Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index 1 to be different than the optimizer passed in.',
    );
    expect(() => new SequentialLR(a, { schedulers: [onA], milestones: [2] })).toThrow(
      'SequentialLR: Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers 1 and the number of milestones to be equal to 1',
    );
    expect(() => new ChainedScheduler([onA, onB])).toThrow(
      'ChainedScheduler: ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and 1 to be different',
    );
    expect(() => new ChainedScheduler([] as LRScheduler[])).toThrow('ChainedScheduler: expects at least one scheduler');
  });
});

describe('createScheduler', () => {
  it('builds a scheduler from JSON options, nested ones included', () => {
    const optimizer = sgd();
    const scheduler = createScheduler('SequentialLR', optimizer, {
      schedulers: [
        { scheduler: 'LinearLR', options: { startFactor: 0.5, totalIters: 2 } },
        { scheduler: 'StepLR', options: { stepSize: 1, gamma: 0.5 } },
      ],
      milestones: [2],
    });
    expect(scheduler).toBeInstanceOf(SequentialLR);
    const lrs = [0, 1, 2, 3].map(() => {
      const lr = optimizer.paramGroups[0]!.lr;
      (scheduler as SequentialLR).step();
      return lr;
    });
    expectSequence(lrs, [0.05, 0.075, 0.1, 0.05], 'lr');
  });

  it('refuses schedulers that need functions, unknown names, options and types', () => {
    expect(() => createScheduler('LambdaLR', sgd(), {})).toThrow(
      'createScheduler: LambdaLR needs lrLambda functions, which JSON options cannot carry; construct new LambdaLR(optimizer, { lrLambda }) instead',
    );
    expect(() => createScheduler('MultiplicativeLR', sgd(), {})).toThrow('createScheduler: MultiplicativeLR needs lrLambda');
    expect(() => createScheduler('WarmupLR', sgd(), {})).toThrow("createScheduler: unknown scheduler 'WarmupLR' (expected one of StepLR,");
    expect(() => createScheduler('StepLR', sgd(), { step_size: 3 })).toThrow(
      "createScheduler: StepLR: unknown option 'step_size' (did you mean 'stepSize'?); known options: stepSize, gamma, lastEpoch",
    );
    expect(() => createScheduler('StepLR', sgd(), { stepSize: '3' })).toThrow(
      'createScheduler: option \'stepSize\' of StepLR must be number, but got "3"',
    );
    expect(() => createScheduler('CosineAnnealingLR', sgd(), {})).toThrow("createScheduler: CosineAnnealingLR requires option 'TMax'");
    expect(() => createScheduler('ChainedScheduler', sgd(), { schedulers: [{ scheduler: 'ReduceLROnPlateau', options: {} }] })).toThrow(
      'createScheduler: ChainedScheduler cannot wrap ReduceLROnPlateau, which steps on a metric',
    );
  });
});
