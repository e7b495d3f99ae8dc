import type { JsonValue, PartialTrainConfig, SchedulerConfig } from './config.js';
import { resolveModelPath } from './model-spec.js';
import { resolvePath } from './paths.js';

/** Command-line option values by commander's camelCased key, and whether the user typed each. */
export interface ParsedFlags {
  values: Record<string, unknown>;
  given: (key: string) => boolean;
}

/** Plain config keys whose flag has the same camelCased name. */
const PLAIN = ['target', 'epochs', 'batchSize', 'microBatch', 'workers', 'seed', 'valSplit', 'l1', 'l2', 'clipGradNorm', 'inputShape'] as const;

/** Flags that set one optimizer option (flag key → PyTorch option, camelCased). */
const OPTIMIZER_FLAGS: Record<string, string> = {
  lr: 'lr',
  momentum: 'momentum',
  dampening: 'dampening',
  nesterov: 'nesterov',
  weightDecay: 'weightDecay',
  betas: 'betas',
  eps: 'eps',
  amsgrad: 'amsgrad',
  alpha: 'alpha',
  rho: 'rho',
};

/** Flags that set one scheduler option (`--t-max` is PyTorch's `T_max`). */
const SCHEDULER_FLAGS: Record<string, string> = {
  stepSize: 'stepSize',
  gamma: 'gamma',
  milestones: 'milestones',
  tMax: 'TMax',
  etaMin: 'etaMin',
};

/**
 * The part of the config that the user typed on the command line (defaults shown by `--help`
 * are left out, so that a config file's values survive them). Paths become absolute.
 */
export function flagsToConfig({ values, given }: ParsedFlags): PartialTrainConfig {
  const config: PartialTrainConfig = {};
  const plain = config as Record<string, unknown>;
  for (const key of PLAIN) if (given(key)) plain[key] = values[key];
  if (given('data')) config.data = resolvePath(values.data as string);
  if (given('features')) config.features = values.features as string[];
  if (given('model')) config.model = resolveModelPath(values.model as string);

  if (given('loss') || given('lossOptions')) {
    config.loss = {};
    if (given('loss')) config.loss.name = values.loss as string;
    if (given('lossOptions')) config.loss.options = values.lossOptions as Record<string, JsonValue>;
  }
  const optimizerOptions = pickOptions(values, given, 'optimizerOptions', OPTIMIZER_FLAGS);
  if (given('optimizer') || optimizerOptions) {
    config.optimizer = {};
    if (given('optimizer')) config.optimizer.name = values.optimizer as string;
    if (optimizerOptions) config.optimizer.options = optimizerOptions;
  }
  const schedulerOptions = pickOptions(values, given, 'schedulerOptions', SCHEDULER_FLAGS);
  if (given('scheduler') || schedulerOptions || given('schedulerInterval')) {
    const scheduler: Partial<SchedulerConfig> = {};
    if (given('scheduler')) scheduler.name = values.scheduler as string;
    if (schedulerOptions) scheduler.options = schedulerOptions;
    if (given('schedulerInterval')) scheduler.interval = values.schedulerInterval as 'epoch' | 'step';
    config.scheduler = scheduler;
  }
  return config;
}

/** A JSON options flag, overlaid by the dedicated flags; undefined when none was typed. */
function pickOptions(
  values: Record<string, unknown>,
  given: (key: string) => boolean,
  jsonKey: string,
  flags: Record<string, string>,
): Record<string, JsonValue> | undefined {
  let options: Record<string, JsonValue> | undefined;
  if (given(jsonKey)) options = { ...(values[jsonKey] as Record<string, JsonValue>) };
  for (const [flag, option] of Object.entries(flags)) {
    if (given(flag)) (options ??= {})[option] = values[flag] as JsonValue;
  }
  return options;
}
