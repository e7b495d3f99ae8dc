export {
  LRScheduler,
  type JsonValue,
  type LRSchedulerOptions,
  type SchedulableOptimizer,
  type SchedulableParamGroup,
  type SchedulerState,
} from './base.js';
export { ChainedScheduler, SequentialLR, type SequentialLROptions } from './composite.js';
export {
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  type CosineAnnealingLROptions,
  type CosineAnnealingWarmRestartsOptions,
} from './cosine.js';
export { createScheduler, type SchedulerSpec } from './create.js';
export { CyclicLR, type CyclicLRMode, type CyclicLROptions } from './cyclic.js';
export { LambdaLR, MultiplicativeLR, type LambdaLROptions, type LrLambda } from './lambda.js';
export { OneCycleLR, type OneCycleLROptions } from './one-cycle.js';
export { checkSchedulerOptions, type OptionKind, REQUIRED_SCHEDULER_OPTIONS, SCHEDULER_OPTIONS, type SchedulerName } from './options.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './plateau.js';
export {
  ConstantLR,
  ExponentialLR,
  LinearLR,
  MultiStepLR,
  PolynomialLR,
  StepLR,
  type ConstantLROptions,
  type ExponentialLROptions,
  type LinearLROptions,
  type MultiStepLROptions,
  type PolynomialLROptions,
  type StepLROptions,
} from './step.js';
