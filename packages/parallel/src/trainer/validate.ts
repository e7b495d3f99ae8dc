import type { ModelSpec, NamedSpec, SchedulerSpec, TrainerOptions } from './options.js';

/** TrainerOptions with every default filled in. */
export interface ResolvedOptions {
  model: ModelSpec;
  loss: NamedSpec;
  optimizer: NamedSpec;
  scheduler: SchedulerSpec | undefined;
  workers: number;
  batchSize: number;
  microBatch: number;
  seed: number;
  l1: number;
  l2: number;
  clipGradNorm: number | undefined;
  onNonFinite: 'stop' | 'skip';
  deterministic: boolean;
  dispatch: 'tasks' | 'persistent';
  /** Bytes of shared memory each worker allocates its replica and temporaries from. */
  workerMemory: number | undefined;
  stepTimeout: number | 'auto' | undefined;
}

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`DataParallelTrainer: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function nonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
    throw new TypeError(`DataParallelTrainer: ${name} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

function named(value: unknown, what: string): NamedSpec {
  if (!value || typeof value !== 'object' || typeof (value as NamedSpec).name !== 'string') {
    throw new TypeError(`DataParallelTrainer: ${what} must be { name, options? }, got ${JSON.stringify(value)}`);
  }
  return value as NamedSpec;
}

const PLATEAU_METRICS = ['valLoss', 'valAccuracy', 'trainLoss'];

function schedulerSpec(value: unknown): SchedulerSpec {
  const spec = named(value, 'scheduler') as SchedulerSpec;
  if (spec.interval !== undefined && spec.interval !== 'epoch' && spec.interval !== 'step') {
    throw new TypeError(`DataParallelTrainer: scheduler.interval must be 'epoch' or 'step', got ${String(spec.interval)}`);
  }
  if (spec.name === 'ReduceLROnPlateau') {
    if (spec.interval === 'step') throw new TypeError('DataParallelTrainer: ReduceLROnPlateau steps once per epoch, on a metric of that epoch; interval must be \'epoch\'');
    if (spec.metric !== undefined && !PLATEAU_METRICS.includes(spec.metric)) {
      throw new TypeError(`DataParallelTrainer: scheduler.metric must be one of ${PLATEAU_METRICS.join(', ')}, got ${String(spec.metric)}`);
    }
  } else if (spec.metric !== undefined) {
    throw new TypeError(`DataParallelTrainer: scheduler.metric is for ReduceLROnPlateau; ${spec.name} monitors nothing`);
  }
  return spec;
}

/** Checks the options once, with a TypeError naming the faulty one, and fills in defaults. */
export function validateOptions(options: TrainerOptions, cores: number): ResolvedOptions {
  if (!options || typeof options !== 'object') throw new TypeError('DataParallelTrainer: options are required');
  const m = options.model as Record<string, unknown> | undefined;
  if (!m || (typeof m['builtin'] !== 'string' && typeof m['module'] !== 'string')) {
    throw new TypeError('DataParallelTrainer: model must be { builtin: "mlp" | "cnn", … } or { module, export?, args? }');
  }
  const batchSize = positiveInteger(options.batchSize, 'batchSize');
  const microBatch = positiveInteger(options.microBatch ?? Math.min(32, batchSize), 'microBatch');
  if (microBatch > batchSize) throw new RangeError(`DataParallelTrainer: microBatch (${microBatch}) cannot exceed batchSize (${batchSize})`);
  const optimizer = named(options.optimizer, 'optimizer');
  if (optimizer.name === 'LBFGS') {
    throw new TypeError('DataParallelTrainer: LBFGS needs whole-vector line searches and cannot run sharded; use it in a single-thread loop');
  }
  const scheduler = options.scheduler === undefined ? undefined : schedulerSpec(options.scheduler);
  if (options.onNonFinite !== undefined && options.onNonFinite !== 'stop' && options.onNonFinite !== 'skip') {
    throw new TypeError(`DataParallelTrainer: onNonFinite must be 'stop' or 'skip', got ${String(options.onNonFinite)}`);
  }
  if (options.deterministic !== undefined && typeof options.deterministic !== 'boolean') {
    throw new TypeError(`DataParallelTrainer: deterministic must be a boolean, got ${String(options.deterministic)}`);
  }
  if (options.dispatch !== undefined && options.dispatch !== 'tasks' && options.dispatch !== 'persistent') {
    throw new TypeError(`DataParallelTrainer: dispatch must be 'tasks' or 'persistent', got ${String(options.dispatch)}`);
  }
  const timeout = options.stepTimeout;
  if (timeout !== undefined && timeout !== 'auto' && !(typeof timeout === 'number' && timeout > 0)) {
    throw new TypeError(`DataParallelTrainer: stepTimeout must be a number of milliseconds > 0 or 'auto', got ${String(timeout)}`);
  }
  const clip = options.clipGradNorm;
  if (clip !== undefined && !(clip > 0)) throw new TypeError(`DataParallelTrainer: clipGradNorm must be > 0, got ${clip}`);
  return {
    model: options.model,
    loss: named(options.loss, 'loss'),
    optimizer,
    scheduler,
    workers: positiveInteger(options.workers ?? cores, 'workers'),
    batchSize,
    microBatch,
    seed: options.seed ?? 0,
    l1: nonNegative(options.l1 ?? 0, 'l1'),
    l2: nonNegative(options.l2 ?? 0, 'l2'),
    clipGradNorm: clip,
    onNonFinite: options.onNonFinite ?? 'stop',
    deterministic: options.deterministic ?? true,
    dispatch: options.dispatch ?? 'persistent',
    workerMemory: options.workerMemory === undefined ? undefined : positiveInteger(options.workerMemory, 'workerMemory'),
    stepTimeout: timeout,
  };
}
