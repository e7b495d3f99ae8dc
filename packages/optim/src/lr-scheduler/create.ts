import { checkOptions } from '@loom/core';
import type { JsonValue, LRScheduler, SchedulableOptimizer } from './base.js';
import { ChainedScheduler, SequentialLR } from './composite.js';
import { CosineAnnealingLR, CosineAnnealingWarmRestarts } from './cosine.js';
import { CyclicLR } from './cyclic.js';
import { OneCycleLR } from './one-cycle.js';
import { type OptionKind, refuseVerbose, REQUIRED_SCHEDULER_OPTIONS, SCHEDULER_OPTIONS, type SchedulerName } from './options.js';
import { ReduceLROnPlateau } from './plateau.js';
import { ConstantLR, ExponentialLR, LinearLR, MultiStepLR, PolynomialLR, StepLR } from './step.js';

/** The JSON form of a scheduler: its class name and options, as `createScheduler` takes them. */
export interface SchedulerSpec {
  scheduler: string;
  options?: { [key: string]: JsonValue };
}

function hasKind(value: JsonValue, kind: OptionKind): boolean {
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
    case 'function':
      return false;
  }
}

function isSchedulerName(name: string): name is SchedulerName {
  return Object.hasOwn(SCHEDULER_OPTIONS, name);
}

/** Throws unless `name` is a scheduler JSON can build and `options` are its options, each of its kind. */
function checkJsonOptions(name: string, options: { [key: string]: JsonValue }): void {
  if (name === 'LambdaLR' || name === 'MultiplicativeLR') {
    throw new Error(
      `createScheduler: ${name} needs lrLambda functions, which JSON options cannot carry; ` +
        `construct new ${name}(optimizer, { lrLambda }) instead`,
    );
  }
  if (!isSchedulerName(name)) {
    const known = Object.keys(SCHEDULER_OPTIONS).filter((n) => n !== 'LambdaLR' && n !== 'MultiplicativeLR');
    throw new Error(`createScheduler: unknown scheduler '${name}' (expected one of ${known.join(', ')})`);
  }
  const kinds: Readonly<Record<string, OptionKind>> = SCHEDULER_OPTIONS[name];
  refuseVerbose(`createScheduler: ${name}`, options);
  checkOptions(`createScheduler: ${name}`, options, Object.keys(kinds));
  for (const [key, value] of Object.entries(options)) {
    const kind = kinds[key]!;
    if (!hasKind(value, kind)) {
      throw new Error(`createScheduler: option '${key}' of ${name} must be ${kind}, but got ${JSON.stringify(value)}`);
    }
  }
  for (const key of REQUIRED_SCHEDULER_OPTIONS[name] as readonly string[]) {
    if (!(key in options)) throw new Error(`createScheduler: ${name} requires option '${key}'`);
  }
}

/**
 * Builds a scheduler by its PyTorch class name from JSON options (camelCased), as a CLI or a
 * config file gives them. SequentialLR and ChainedScheduler take `schedulers` as a list of
 * `{ scheduler, options }`, built in order on the same optimizer. LambdaLR and MultiplicativeLR
 * need functions and are refused.
 * @param name - the class name ('StepLR', 'OneCycleLR', …); an unknown one throws, listing the known ones
 * @param optimizer - the optimizer whose groups' `lr` the scheduler sets
 * @param options - the class's options as JSON (see {@link SCHEDULER_OPTIONS} for each one's kind); default `{}`, which
 *   only the schedulers without required options accept; unknown keys and values of the wrong kind throw
 */
export function createScheduler(
  name: string,
  optimizer: SchedulableOptimizer,
  options: { [key: string]: JsonValue } = {},
): LRScheduler | ReduceLROnPlateau {
  checkJsonOptions(name, options);
  // checkJsonOptions has verified every option's JSON type against SPECS, so these casts hold.
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

function createComposite(name: string, optimizer: SchedulableOptimizer, options: { [key: string]: JsonValue }): LRScheduler {
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
