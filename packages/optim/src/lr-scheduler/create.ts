import type { JsonValue, LRScheduler, SchedulableOptimizer } from './base.js';
import { ChainedScheduler, SequentialLR } from './composite.js';
import { CosineAnnealingLR, CosineAnnealingWarmRestarts } from './cosine.js';
import { CyclicLR } from './cyclic.js';
import { OneCycleLR } from './one-cycle.js';
import { ReduceLROnPlateau } from './plateau.js';
import { ConstantLR, ExponentialLR, LinearLR, MultiStepLR, PolynomialLR, StepLR } from './step.js';

/** The JSON form of a scheduler: its class name and options, as `createScheduler` takes them. */
export interface SchedulerSpec {
  scheduler: string;
  options?: { [key: string]: JsonValue };
}

/** 'number | number[]' options are per-group values; 'schedulers' holds nested `SchedulerSpec`s. */
type Kind = 'number' | 'boolean' | 'string' | 'number[]' | 'number | number[]' | 'schedulers';
type OptionKinds = Record<string, Kind>;

const EPOCH: OptionKinds = { lastEpoch: 'number', verbose: 'boolean' };

/** Every option each scheduler accepts from JSON, and the ones it requires. */
const SPECS: Record<string, { kinds: OptionKinds; required: string[] }> = {
  StepLR: { kinds: { stepSize: 'number', gamma: 'number', ...EPOCH }, required: ['stepSize'] },
  MultiStepLR: { kinds: { milestones: 'number[]', gamma: 'number', ...EPOCH }, required: ['milestones'] },
  ExponentialLR: { kinds: { gamma: 'number', ...EPOCH }, required: ['gamma'] },
  ConstantLR: { kinds: { factor: 'number', totalIters: 'number', ...EPOCH }, required: [] },
  LinearLR: {
    kinds: { startFactor: 'number', endFactor: 'number', totalIters: 'number', ...EPOCH },
    required: [],
  },
  PolynomialLR: { kinds: { totalIters: 'number', power: 'number', ...EPOCH }, required: [] },
  CosineAnnealingLR: { kinds: { TMax: 'number', etaMin: 'number', ...EPOCH }, required: ['TMax'] },
  CosineAnnealingWarmRestarts: {
    kinds: { T0: 'number', TMult: 'number', etaMin: 'number', ...EPOCH },
    required: ['T0'],
  },
  CyclicLR: {
    kinds: {
      baseLr: 'number | number[]',
      maxLr: 'number | number[]',
      stepSizeUp: 'number',
      stepSizeDown: 'number',
      mode: 'string',
      gamma: 'number',
      scaleMode: 'string',
      cycleMomentum: 'boolean',
      baseMomentum: 'number | number[]',
      maxMomentum: 'number | number[]',
      ...EPOCH,
    },
    required: ['baseLr', 'maxLr'],
  },
  OneCycleLR: {
    kinds: {
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
    },
    required: ['maxLr'],
  },
  ReduceLROnPlateau: {
    kinds: {
      mode: 'string',
      factor: 'number',
      patience: 'number',
      threshold: 'number',
      thresholdMode: 'string',
      cooldown: 'number',
      minLr: 'number | number[]',
      eps: 'number',
      verbose: 'boolean',
    },
    required: [],
  },
  SequentialLR: {
    kinds: { schedulers: 'schedulers', milestones: 'number[]', ...EPOCH },
    required: ['schedulers', 'milestones'],
  },
  ChainedScheduler: { kinds: { schedulers: 'schedulers' }, required: ['schedulers'] },
};

function hasKind(value: JsonValue, kind: Kind): boolean {
  const isNumbers = Array.isArray(value) && value.every((v) => typeof v === 'number');
  switch (kind) {
    case 'number':
    case 'boolean':
    case 'string':
      return typeof value === kind;
    case 'number[]':
      return isNumbers;
    case 'number | number[]':
      return typeof value === 'number' || isNumbers;
    case 'schedulers':
      return Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null && 'scheduler' in v);
  }
}

function checkOptions(name: string, options: { [key: string]: JsonValue }): void {
  const spec = SPECS[name];
  if (spec === undefined) {
    if (name === 'LambdaLR' || name === 'MultiplicativeLR') {
      throw new Error(
        `createScheduler: ${name} needs lrLambda functions, which JSON options cannot carry; ` +
          `construct new ${name}(optimizer, { lrLambda }) instead`,
      );
    }
    throw new Error(`createScheduler: unknown scheduler '${name}' (expected one of ${Object.keys(SPECS).join(', ')})`);
  }
  for (const [key, value] of Object.entries(options)) {
    const kind = spec.kinds[key];
    if (kind === undefined) {
      throw new Error(
        `createScheduler: unknown option '${key}' for ${name} (expected one of ${Object.keys(spec.kinds).join(', ')})`,
      );
    }
    if (!hasKind(value, kind)) {
      throw new Error(`createScheduler: option '${key}' of ${name} must be ${kind}, but got ${JSON.stringify(value)}`);
    }
  }
  for (const key of spec.required) {
    if (!(key in options)) throw new Error(`createScheduler: ${name} requires option '${key}'`);
  }
}

/**
 * Builds a scheduler by its PyTorch class name from JSON options (camelCased), as a CLI or a
 * config file gives them. SequentialLR and ChainedScheduler take `schedulers` as a list of
 * `{ scheduler, options }`, built in order on the same optimizer. LambdaLR and MultiplicativeLR
 * need functions and are refused.
 */
export function createScheduler(
  name: string,
  optimizer: SchedulableOptimizer,
  options: { [key: string]: JsonValue } = {},
): LRScheduler | ReduceLROnPlateau {
  checkOptions(name, options);
  // checkOptions has verified every option's JSON type against SPECS, so these casts hold.
  const o = options as never;
  switch (name) {
    case 'StepLR':
      return new StepLR(optimizer, o);
    case 'MultiStepLR':
      return new MultiStepLR(optimizer, o);
    case 'ExponentialLR':
      return new ExponentialLR(optimizer, o);
    case 'ConstantLR':
      return new ConstantLR(optimizer, o);
    case 'LinearLR':
      return new LinearLR(optimizer, o);
    case 'PolynomialLR':
      return new PolynomialLR(optimizer, o);
    case 'CosineAnnealingLR':
      return new CosineAnnealingLR(optimizer, o);
    case 'CosineAnnealingWarmRestarts':
      return new CosineAnnealingWarmRestarts(optimizer, o);
    case 'CyclicLR':
      return new CyclicLR(optimizer, o);
    case 'OneCycleLR':
      return new OneCycleLR(optimizer, o);
    case 'ReduceLROnPlateau':
      return new ReduceLROnPlateau(optimizer, o);
    default:
      return createComposite(name, optimizer, options);
  }
}

function createComposite(
  name: string,
  optimizer: SchedulableOptimizer,
  options: { [key: string]: JsonValue },
): LRScheduler {
  const children = (options.schedulers as unknown as SchedulerSpec[]).map((spec) => {
    const child = createScheduler(spec.scheduler, optimizer, spec.options ?? {});
    if (child instanceof ReduceLROnPlateau) {
      throw new Error(`createScheduler: ${name} cannot wrap ReduceLROnPlateau, which steps on a metric`);
    }
    return child;
  });
  if (name === 'ChainedScheduler') return new ChainedScheduler(children);
  const lastEpoch = options.lastEpoch as number | undefined;
  return new SequentialLR(optimizer, { schedulers: children, milestones: options.milestones as number[], lastEpoch });
}
