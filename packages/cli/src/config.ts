import { checkOptions, optionKeys } from '@loom/core';
import { UsageError } from './errors.js';
import { getPath, SETTINGS, setPath } from './settings.js';

/** A value that survives JSON.stringify / JSON.parse unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A loss or optimizer by its PyTorch class name, with camelCased options. */
export interface NamedConfig {
  name: string;
  options: Record<string, JsonValue>;
}

/** What ReduceLROnPlateau monitors (`--plateau-metric`). */
export type PlateauMetric = 'val-loss' | 'val-accuracy' | 'train-loss';

/** A scheduler by its PyTorch class name, stepped after every epoch or every optimizer step. */
export interface SchedulerConfig extends NamedConfig {
  interval: 'epoch' | 'step';
  /** ReduceLROnPlateau only: the metric it monitors (default val-loss). */
  metric?: PlateauMetric;
}

/** Everything that decides what `loom train` computes; saved as `config.json` in the run directory. */
export interface TrainConfig {
  /** An Arrow IPC file (absolute path), or null for the built-in MNIST digits. */
  data: string | null;
  /** Feature columns, or null for every column but the target. */
  features: string[] | null;
  target: string;
  /** `mlp` (sizes from the data), `mlp:784,256,128,10`, `cnn`, `cnn-bn`, or `/abs/path/net.mjs#createModel`. */
  model: string;
  /** [C, H, W] of one sample for `cnn` and `cnn-bn` (default: a square single-channel image). */
  inputShape: number[] | null;
  loss: NamedConfig;
  optimizer: NamedConfig;
  scheduler: SchedulerConfig | null;
  epochs: number;
  batchSize: number;
  microBatch: number;
  workers: number;
  seed: number;
  valSplit: number;
  l1: number;
  l2: number;
  clipGradNorm: number | null;
  /** A non-finite loss: stop training, or skip the step. */
  onNan: 'stop' | 'skip';
}

/** A partial config as a config file or the command line gives it. */
export type PartialTrainConfig = Partial<Omit<TrainConfig, 'loss' | 'optimizer' | 'scheduler'>> & {
  loss?: Partial<NamedConfig>;
  optimizer?: Partial<NamedConfig>;
  scheduler?: Partial<SchedulerConfig> | null;
};

/**
 * The defaults of `loom train` with no flags (an MLP on the built-in MNIST digits with Adam, 10
 * epochs): the settings table's defaults, everything else unset.
 */
export function defaultTrainConfig(): TrainConfig {
  const config: Record<string, unknown> = {
    data: null,
    features: null,
    inputShape: null,
    loss: { options: {} },
    optimizer: { options: {} },
    scheduler: null,
    clipGradNorm: null,
  };
  // Scheduler settings apply once a scheduler is chosen (mergeScheduler).
  for (const s of SETTINGS) if (s.path && s.path[0] !== 'scheduler' && s.default !== undefined) setPath(config, s.path, s.default);
  return config as unknown as TrainConfig;
}

/** Every key of a config, for `checkOptions`: the compiler keeps it equal to TrainConfig. */
const TRAIN_CONFIG_KEYS = optionKeys<TrainConfig>({
  data: true,
  features: true,
  target: true,
  model: true,
  inputShape: true,
  loss: true,
  optimizer: true,
  scheduler: true,
  epochs: true,
  batchSize: true,
  microBatch: true,
  workers: true,
  seed: true,
  valSplit: true,
  l1: true,
  l2: true,
  clipGradNorm: true,
  onNan: true,
});

/**
 * Merges defaults, a config file and command-line flags, later ones winning. Options of the loss,
 * optimizer and scheduler merge key by key, so `--lr` changes only the learning rate of a file's
 * optimizer.
 * @param base - the complete config the layers apply to, usually `defaultTrainConfig()`; not changed
 * @param layers - partial configs applied in order, later ones winning: a config file's, then the flags'; an `undefined` value
 *   leaves a key alone, `scheduler: null` removes the scheduler; an unknown key throws
 */
export function mergeTrainConfig(base: TrainConfig, ...layers: PartialTrainConfig[]): TrainConfig {
  checkOptions('mergeTrainConfig', base, TRAIN_CONFIG_KEYS);
  layers.forEach((layer, i) => checkOptions(`mergeTrainConfig: layer ${i + 1}`, layer, TRAIN_CONFIG_KEYS));
  const out: TrainConfig = { ...base, loss: cloneNamed(base.loss), optimizer: cloneNamed(base.optimizer) };
  out.scheduler = base.scheduler ? { ...base.scheduler, ...cloneNamed(base.scheduler) } : null;
  for (const layer of layers) {
    const { loss, optimizer, scheduler, ...plain } = layer;
    for (const [key, value] of Object.entries(plain)) {
      if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = value;
    }
    if (loss) out.loss = mergeNamed(out.loss, loss);
    if (optimizer) out.optimizer = mergeNamed(out.optimizer, optimizer);
    if (scheduler === null) out.scheduler = null;
    else if (scheduler) out.scheduler = mergeScheduler(out.scheduler, scheduler);
  }
  return out;
}

function cloneNamed(named: NamedConfig): NamedConfig {
  return { name: named.name, options: { ...named.options } };
}

function mergeNamed(into: NamedConfig, layer: Partial<NamedConfig>): NamedConfig {
  return { name: layer.name ?? into.name, options: { ...into.options, ...layer.options } };
}

function mergeScheduler(into: SchedulerConfig | null, layer: Partial<SchedulerConfig>): SchedulerConfig {
  const name = layer.name ?? into?.name;
  if (name === undefined) {
    const given = Object.keys(layer.options ?? {}).join(', ') || 'interval';
    throw new UsageError(`scheduler options (${given}) were given without a scheduler; add --scheduler NAME`);
  }
  const merged: SchedulerConfig = {
    name,
    options: { ...into?.options, ...layer.options },
    interval: layer.interval ?? into?.interval ?? 'epoch',
  };
  const metric = layer.metric ?? into?.metric;
  if (metric !== undefined) merged.metric = metric;
  return merged;
}

/**
 * Checks every value of a resolved config; throws a UsageError naming the flag at fault.
 * @param config - a complete, merged config (as `mergeTrainConfig` returns it); not changed
 */
export function validateTrainConfig(config: TrainConfig): void {
  checkOptions('validateTrainConfig', config, TRAIN_CONFIG_KEYS);
  for (const setting of SETTINGS) {
    if (!setting.path) continue;
    const value = getPath(config, setting.path);
    if (value === undefined || value === null) continue;
    // The command line checks choices as it parses; a config built in code must meet them too.
    if (setting.choices && !setting.choices.includes(value as string)) {
      throw new UsageError(`--${setting.flag} must be one of ${setting.choices.join(', ')}, got ${JSON.stringify(value)}`);
    }
    const problem = setting.check?.(value as never) ?? null;
    if (problem !== null) throw new UsageError(problem);
  }
  if (config.microBatch > config.batchSize) {
    throw new UsageError(`--micro-batch (${config.microBatch}) cannot exceed --batch-size (${config.batchSize})`);
  }
  if (config.features !== null && (config.features.length === 0 || config.features.some((f) => f === ''))) {
    throw new UsageError('--features must list one or more column names, separated by commas');
  }
  if (config.features?.includes(config.target)) {
    throw new UsageError(`column '${config.target}' cannot be both a feature and the target`);
  }
  if (config.inputShape !== null) {
    const cnn = config.model === 'cnn' || config.model === 'cnn-bn';
    if (
      (cnn && config.inputShape.length !== 3) ||
      config.inputShape.length === 0 ||
      config.inputShape.some((d) => !Number.isInteger(d) || d < 1)
    ) {
      const expected = cnn ? `three positive integers C,H,W for --model ${config.model}` : 'positive integers separated by commas';
      throw new UsageError(`--input-shape must be ${expected}, got ${config.inputShape.join(',')}`);
    }
  }
  const scheduler = config.scheduler;
  if (scheduler?.metric !== undefined && scheduler.name !== 'ReduceLROnPlateau') {
    throw new UsageError(`--plateau-metric is for --scheduler ReduceLROnPlateau; ${scheduler.name} monitors nothing`);
  }
  if (scheduler?.name === 'ReduceLROnPlateau') {
    if (scheduler.interval === 'step')
      throw new UsageError('ReduceLROnPlateau steps once per epoch, after validation: drop --scheduler-interval step');
    const metric = scheduler.metric ?? 'val-loss';
    if (metric !== 'train-loss' && config.valSplit === 0) {
      throw new UsageError(
        `ReduceLROnPlateau monitors the ${metric === 'val-loss' ? 'validation loss' : 'validation accuracy'}, but --val-split is 0; hold out rows, or pass --plateau-metric train-loss`,
      );
    }
  }
}
