import { checkOptions, optionKeys, withArena } from '@loom/core';
import { createLoss, type LossName, type LossOptions } from '@loom/losses';
import { autoDistributed } from '../distributed/launch.js';
import { OptimizerState } from '../optimizer/optimizer-state.js';
import { checkModelSpec } from '../models/arguments.js';
import { resolveModelOrigin } from './model-origin.js';
import type { ModelFactory, ModelSpec, NamedSpec, SchedulerSpec, TrainerOptions } from './options.js';

const TRAINER_OPTIONS = optionKeys<TrainerOptions>({
  model: true,
  loss: true,
  optimizer: true,
  scheduler: true,
  workers: true,
  batchSize: true,
  microBatch: true,
  seed: true,
  deterministic: true,
  replaySteps: true,
  l1: true,
  l2: true,
  clipGradNorm: true,
  workerMemory: true,
  dispatch: true,
  onNonFinite: true,
  stepTimeout: true,
  distributed: true,
  mpiLibrary: true,
});

const SCHEDULER_SPEC_KEYS = optionKeys<SchedulerSpec>({ name: true, options: true, interval: true, metric: true });

/** TrainerOptions with every default filled in. */
export interface ResolvedOptions {
  /** What the workers build: a factory function passed as the model became `{ module, export }`, relative paths file URLs. */
  model: ModelSpec;
  /** The factory function passed as the model, which the main thread calls; null for the other forms. */
  factory: ModelFactory | null;
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
  replaySteps: boolean | 'auto';
  dispatch: 'tasks' | 'persistent';
  /** Bytes of shared memory each worker allocates its replica and temporaries from. */
  workerMemory: number | undefined;
  stepTimeout: number | 'auto' | undefined;
  /** Whether this process is one rank of an MPI job ('auto' resolved from the environment). */
  distributed: 'mpi' | 'none';
  mpiLibrary: string | undefined;
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

function named(value: unknown, what: string, keys: readonly string[] = ['name', 'options']): NamedSpec {
  if (!value || typeof value !== 'object' || typeof (value as NamedSpec).name !== 'string') {
    throw new TypeError(`DataParallelTrainer: ${what} must be { name, options? }, got ${JSON.stringify(value)}`);
  }
  checkOptions(`DataParallelTrainer: ${what}`, value, keys);
  return value as NamedSpec;
}

const PLATEAU_METRICS = ['valLoss', 'valAccuracy', 'trainLoss'];

function schedulerSpec(value: unknown): SchedulerSpec {
  const spec = named(value, 'scheduler', SCHEDULER_SPEC_KEYS) as SchedulerSpec;
  if (spec.interval !== undefined && spec.interval !== 'epoch' && spec.interval !== 'step') {
    throw new TypeError(`DataParallelTrainer: scheduler.interval must be 'epoch' or 'step', got ${String(spec.interval)}`);
  }
  if (spec.name === 'ReduceLROnPlateau') {
    if (spec.interval === 'step')
      throw new TypeError(
        "DataParallelTrainer: ReduceLROnPlateau steps once per epoch, on a metric of that epoch; interval must be 'epoch'",
      );
    if (spec.metric !== undefined && !PLATEAU_METRICS.includes(spec.metric)) {
      throw new TypeError(`DataParallelTrainer: scheduler.metric must be one of ${PLATEAU_METRICS.join(', ')}, got ${String(spec.metric)}`);
    }
  } else if (spec.metric !== undefined) {
    throw new TypeError(`DataParallelTrainer: scheduler.metric is for ReduceLROnPlateau; ${spec.name} monitors nothing`);
  }
  return spec;
}

/**
 * Checks the options once, with a TypeError naming the faulty one, and fills in defaults.
 * `caller` is the URL of the module creating the trainer (relative model paths resolve from it).
 */
export function validateOptions(options: TrainerOptions, cores: number, caller: string | null): ResolvedOptions {
  if (!options || typeof options !== 'object') throw new TypeError('DataParallelTrainer: options are required');
  checkOptions('DataParallelTrainer', options, TRAINER_OPTIONS);
  const origin = resolveModelOrigin(options.model, caller);
  const m = origin.spec as Record<string, unknown> | undefined;
  if (!m || typeof m !== 'object' || (typeof m['builtin'] !== 'string' && typeof m['module'] !== 'string')) {
    throw new TypeError(
      'DataParallelTrainer: model must be a factory function, { builtin: "mlp" | "cnn" | "cnn-bn" | "char-transformer", … } or { module, export?, args? }',
    );
  }
  checkModelSpec('DataParallelTrainer', m);
  const batchSize = positiveInteger(options.batchSize, 'batchSize');
  const microBatch = positiveInteger(options.microBatch ?? Math.min(32, batchSize), 'microBatch');
  if (microBatch > batchSize)
    throw new RangeError(`DataParallelTrainer: microBatch (${microBatch}) cannot exceed batchSize (${batchSize})`);
  const optimizer = named(options.optimizer, 'optimizer');
  if (optimizer.name === 'LBFGS') {
    throw new TypeError(
      'DataParallelTrainer: LBFGS needs whole-vector line searches and cannot run sharded; use it in a single-thread loop',
    );
  }
  const scheduler = options.scheduler === undefined ? undefined : schedulerSpec(options.scheduler);
  // Resolved once here so that a bad optimizer or scheduler option fails now, not at fit.
  new OptimizerState(optimizer, scheduler);
  const loss = named(options.loss, 'loss');
  // Built once here (and freed) so that a bad loss option fails now, not in every worker at step 1.
  withArena(() => void createLoss(loss.name as LossName, (loss.options ?? {}) as LossOptions));
  if (options.onNonFinite !== undefined && options.onNonFinite !== 'stop' && options.onNonFinite !== 'skip') {
    throw new TypeError(`DataParallelTrainer: onNonFinite must be 'stop' or 'skip', got ${String(options.onNonFinite)}`);
  }
  if (options.deterministic !== undefined && typeof options.deterministic !== 'boolean') {
    throw new TypeError(`DataParallelTrainer: deterministic must be a boolean, got ${String(options.deterministic)}`);
  }
  if (options.replaySteps !== undefined && typeof options.replaySteps !== 'boolean' && options.replaySteps !== 'auto') {
    throw new TypeError(`DataParallelTrainer: replaySteps must be 'auto', true or false, got ${String(options.replaySteps)}`);
  }
  if (options.dispatch !== undefined && options.dispatch !== 'tasks' && options.dispatch !== 'persistent') {
    throw new TypeError(`DataParallelTrainer: dispatch must be 'tasks' or 'persistent', got ${String(options.dispatch)}`);
  }
  const timeout = options.stepTimeout;
  if (timeout !== undefined && timeout !== 'auto' && !(typeof timeout === 'number' && timeout > 0)) {
    throw new TypeError(`DataParallelTrainer: stepTimeout must be a number of milliseconds > 0 or 'auto', got ${String(timeout)}`);
  }
  const distributed = options.distributed ?? 'auto';
  // The launcher's variables (none in a browser, which has no process).
  const environment: Readonly<Record<string, string | undefined>> = typeof process !== 'undefined' ? process.env : {};
  if (distributed !== 'auto' && distributed !== 'mpi' && distributed !== 'none') {
    throw new TypeError(`DataParallelTrainer: distributed must be 'auto', 'mpi' or 'none', got ${String(distributed)}`);
  }
  if (options.mpiLibrary !== undefined && typeof options.mpiLibrary !== 'string') {
    throw new TypeError(`DataParallelTrainer: mpiLibrary must be a path, got ${String(options.mpiLibrary)}`);
  }
  const clip = options.clipGradNorm;
  if (clip !== undefined && !(clip > 0)) throw new TypeError(`DataParallelTrainer: clipGradNorm must be > 0, got ${clip}`);
  return {
    model: origin.spec,
    factory: origin.factory,
    loss,
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
    replaySteps: options.replaySteps ?? 'auto',
    dispatch: options.dispatch ?? 'persistent',
    workerMemory: options.workerMemory === undefined ? undefined : positiveInteger(options.workerMemory, 'workerMemory'),
    stepTimeout: timeout,
    distributed: distributed === 'auto' ? autoDistributed(environment) : distributed,
    mpiLibrary: options.mpiLibrary ?? environment['LOOM_MPI'],
  };
}
