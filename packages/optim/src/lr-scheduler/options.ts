import { checkOptions } from '@loom/core';
import type { SequentialLROptions } from './composite.js';
import type { CosineAnnealingLROptions, CosineAnnealingWarmRestartsOptions } from './cosine.js';
import type { CyclicLROptions } from './cyclic.js';
import type { LambdaLROptions } from './lambda.js';
import type { OneCycleLROptions } from './one-cycle.js';
import type { ReduceLROnPlateauOptions } from './plateau.js';
import type {
  ConstantLROptions,
  ExponentialLROptions,
  LinearLROptions,
  MultiStepLROptions,
  PolynomialLROptions,
  StepLROptions,
} from './step.js';

/**
 * Every scheduler's options with the JSON kind of each: the one list both the constructors
 * (unknown keys throw) and `createScheduler` (kinds checked) read. Each table is checked against
 * its options interface by the compiler, so a key cannot be missing or extra.
 */

/** 'number | number[]' options are per-group values; 'schedulers' holds nested `SchedulerSpec`s; 'function' cannot come from JSON. */
export type OptionKind = 'number' | 'boolean' | 'string' | 'number[]' | 'number | number[]' | 'schedulers' | 'function';

type KindsOf<O> = { readonly [K in keyof Required<O>]: OptionKind };

const EPOCH = { lastEpoch: 'number' } as const;

/** Each scheduler's options and their kinds: what a JSON scheduler spec may hold and how it is checked. */
export const SCHEDULER_OPTIONS = {
  StepLR: { stepSize: 'number', gamma: 'number', ...EPOCH } satisfies KindsOf<StepLROptions>,
  MultiStepLR: { milestones: 'number[]', gamma: 'number', ...EPOCH } satisfies KindsOf<MultiStepLROptions>,
  ExponentialLR: { gamma: 'number', ...EPOCH } satisfies KindsOf<ExponentialLROptions>,
  ConstantLR: { factor: 'number', totalIters: 'number', ...EPOCH } satisfies KindsOf<ConstantLROptions>,
  LinearLR: { startFactor: 'number', endFactor: 'number', totalIters: 'number', ...EPOCH } satisfies KindsOf<LinearLROptions>,
  PolynomialLR: { totalIters: 'number', power: 'number', ...EPOCH } satisfies KindsOf<PolynomialLROptions>,
  LambdaLR: { lrLambda: 'function', ...EPOCH } satisfies KindsOf<LambdaLROptions>,
  MultiplicativeLR: { lrLambda: 'function', ...EPOCH } satisfies KindsOf<LambdaLROptions>,
  CosineAnnealingLR: { TMax: 'number', etaMin: 'number', ...EPOCH } satisfies KindsOf<CosineAnnealingLROptions>,
  CosineAnnealingWarmRestarts: {
    T0: 'number',
    TMult: 'number',
    etaMin: 'number',
    ...EPOCH,
  } satisfies KindsOf<CosineAnnealingWarmRestartsOptions>,
  CyclicLR: {
    baseLr: 'number | number[]',
    maxLr: 'number | number[]',
    stepSizeUp: 'number',
    stepSizeDown: 'number',
    mode: 'string',
    gamma: 'number',
    scaleFn: 'function',
    scaleMode: 'string',
    cycleMomentum: 'boolean',
    baseMomentum: 'number | number[]',
    maxMomentum: 'number | number[]',
    ...EPOCH,
  } satisfies KindsOf<CyclicLROptions>,
  OneCycleLR: {
    maxLr: 'number | number[]',
    totalSteps: 'number',
    epochs: 'number',
    stepsPerEpoch: 'number',
    pctStart: 'number',
    annealStrategy: 'string',
    cycleMomentum: 'boolean',
    baseMomentum: 'number | number[]',
    maxMomentum: 'number | number[]',
    divFactor: 'number',
    finalDivFactor: 'number',
    threePhase: 'boolean',
    ...EPOCH,
  } satisfies KindsOf<OneCycleLROptions>,
  ReduceLROnPlateau: {
    mode: 'string',
    factor: 'number',
    patience: 'number',
    threshold: 'number',
    thresholdMode: 'string',
    cooldown: 'number',
    minLr: 'number | number[]',
    eps: 'number',
  } satisfies KindsOf<ReduceLROnPlateauOptions>,
  SequentialLR: { schedulers: 'schedulers', milestones: 'number[]', ...EPOCH } satisfies KindsOf<SequentialLROptions>,
  /** `new ChainedScheduler(schedulers)` takes no options object; this is its JSON form. */
  ChainedScheduler: { schedulers: 'schedulers' },
} as const;

/** A scheduler's class name. */
export type SchedulerName = keyof typeof SCHEDULER_OPTIONS;

/** The options each scheduler cannot do without. */
export const REQUIRED_SCHEDULER_OPTIONS: { readonly [N in SchedulerName]: readonly (keyof (typeof SCHEDULER_OPTIONS)[N])[] } = {
  StepLR: ['stepSize'],
  MultiStepLR: ['milestones'],
  ExponentialLR: ['gamma'],
  ConstantLR: [],
  LinearLR: [],
  PolynomialLR: [],
  LambdaLR: ['lrLambda'],
  MultiplicativeLR: ['lrLambda'],
  CosineAnnealingLR: ['TMax'],
  CosineAnnealingWarmRestarts: ['T0'],
  CyclicLR: ['baseLr', 'maxLr'],
  OneCycleLR: ['maxLr'],
  ReduceLROnPlateau: [],
  SequentialLR: ['schedulers', 'milestones'],
  ChainedScheduler: ['schedulers'],
};

/**
 * Throws unless `options` is an object of `scheduler`'s options only (a typo or snake_case is
 * named), or absent where the scheduler requires none.
 * @param scheduler - the scheduler's class name, which names it in the error
 * @param options - the options as given (from JSON or code)
 */
export function checkSchedulerOptions(scheduler: SchedulerName, options: unknown): void {
  const required = REQUIRED_SCHEDULER_OPTIONS[scheduler] as readonly string[];
  if ((options === undefined || options === null) && required.length > 0) {
    throw new TypeError(`${scheduler}: options { ${required.join(', ')} } are required`);
  }
  refuseVerbose(scheduler, options);
  const kinds: Readonly<Record<string, OptionKind>> = SCHEDULER_OPTIONS[scheduler];
  checkOptions(scheduler, options, Object.keys(kinds));
  // PyTorch takes a NaN gamma or factor and every lr after it is NaN; Loom refuses it here.
  for (const [key, value] of Object.entries(options ?? {})) {
    if (kinds[key] !== 'function' && kinds[key] !== 'schedulers' && [value].flat().some((v) => typeof v === 'number' && Number.isNaN(v))) {
      throw new RangeError(`${scheduler}: option '${key}' is NaN`);
    }
  }
}

/**
 * Throws on PyTorch's `verbose`, which 2.2 deprecated (it printed each new lr): refused with what
 * to do instead, rather than accepted and ignored or listed as merely unknown.
 * @param owner - what the error names ('StepLR', 'createScheduler: StepLR')
 * @param options - the scheduler options as given
 * @internal
 */
export function refuseVerbose(owner: string, options: unknown): void {
  if (typeof options === 'object' && options !== null && Object.hasOwn(options, 'verbose')) {
    throw new TypeError(
      `${owner}: verbose is not supported (PyTorch deprecated it in 2.2); leave it out and print scheduler.getLastLr() after step() instead`,
    );
  }
}
