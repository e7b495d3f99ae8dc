import type { Module } from '@loom/core';
import type { CharTransformerOptions } from '../models/char-transformer.js';

/**
 * How a worker builds the model replica: a built-in architecture, or an ESM module (path or
 * file URL) whose export (default: `createModel`) is called with `args` and returns a Module
 * (or a promise of one). Functions cannot cross threads, so models travel as specs.
 */
export type ModelSpec =
  | { builtin: 'mlp'; sizes: number[]; activation?: 'relu' | 'tanh' | 'gelu' }
  | { builtin: 'cnn'; inputShape?: [number, number, number]; numClasses?: number }
  | { builtin: 'cnn-bn'; inputShape?: [number, number, number]; numClasses?: number }
  | ({ builtin: 'char-transformer' } & CharTransformerOptions)
  | { module: string; export?: string; args?: unknown[] };

/**
 * A function that builds the model (sync or async), exported by the module that creates the
 * trainer: the main thread calls it, and each worker imports that module and calls its export of
 * the function's name (with no arguments).
 */
export type ModelFactory = () => Module | Promise<Module>;

/** A built-in loss, optimizer or scheduler by its PyTorch class name, with options. */
export interface NamedSpec {
  name: string;
  options?: Record<string, unknown>;
}

/** What ReduceLROnPlateau monitors: a metric of the epoch just finished. */
export type PlateauMetric = 'valLoss' | 'valAccuracy' | 'trainLoss';

/** A scheduler by class name, when it steps, and (ReduceLROnPlateau) what it monitors. */
export interface SchedulerSpec extends NamedSpec {
  interval?: 'epoch' | 'step';
  metric?: PlateauMetric;
}

/** Options of `new DataParallelTrainer(...)`. */
export interface TrainerOptions {
  /**
   * How each worker builds its replica: a factory function exported by the module that creates
   * the trainer, a built-in architecture, or `{ module, export?, args? }`, whose relative path
   * resolves from the module that creates the trainer (not the working directory). Not a Module
   * instance: every worker builds a replica of its own, and a Module cannot cross threads.
   */
  model: ModelFactory | ModelSpec;
  /** A loss of @loom/losses by name ('CrossEntropyLoss', 'cross_entropy', …). */
  loss: NamedSpec;
  /** An optimizer of @loom/optim by class name ('Adam', 'SGD', …); LBFGS is refused. */
  optimizer: NamedSpec;
  /**
   * A scheduler of @loom/optim by class name, stepped every epoch (or every step) before
   * validation. ReduceLROnPlateau is stepped after validation with `metric` (default 'valLoss';
   * use its `mode: 'max'` option with 'valAccuracy'), and only every epoch.
   */
  scheduler?: SchedulerSpec;
  /** Worker threads (default: every core). */
  workers?: number;
  /** Samples per optimizer step (the global batch). */
  batchSize: number;
  /**
   * Samples per micro-batch ("chunk"). The global batch is cut into fixed chunks whatever the
   * number of workers, which is what makes results independent of it. Default: 32.
   */
  microBatch?: number;
  /** Seed of initialisation, shuffling and dropout. Default 0. */
  seed?: number;
  /**
   * true (default): each micro-batch's gradient gets its own slot and the slots are summed in one
   * fixed order, so the parameters are bit-identical whatever the number of workers. false: each
   * worker adds its micro-batches into one slot, so there are `workers` slots to sum instead of
   * batchSize / microBatch — less memory traffic, but the last bits depend on the worker count.
   */
  deterministic?: boolean;
  /**
   * Chunk replay (package README, "Chunk replay"): once a chunk shape's kernel calls are recorded
   * and checked, later chunks of that shape replay them instead of running the model's JS, which
   * makes no garbage. The bits are the same; what fails the check (dropout, BatchNorm, a layer
   * writing memory in JS) runs normally. Replay skips the model's `forward`, so it suits only a
   * forward that is a pure function of its input and parameters. 'auto' (default): replay the
   * built-in models only; true: also a model of yours (you vouch that its forward has no side
   * effects nor behaviour that changes over calls); false: never.
   */
  replaySteps?: boolean | 'auto';
  /** L1 penalty λ·Σ|p| added to the loss (its gradient λ·sign(p) added on the update). */
  l1?: number;
  /** L2 penalty λ·Σp² added to the loss (gradient 2λ·p). Prefer the optimizer's weightDecay. */
  l2?: number;
  /** Clip the global gradient norm to this value before each update. */
  clipGradNorm?: number;
  /** Bytes of shared memory each worker thread gets for its replica and temporaries (default: sized from the model). */
  workerMemory?: number;
  /**
   * How steps reach the workers: a piscina task per worker and step ('tasks'), or one
   * persistent task per worker woken through Atomics for every step ('persistent'). Both give
   * the same bits; see the package README for which is faster where. Default 'persistent'.
   */
  dispatch?: 'tasks' | 'persistent';
  /** What a non-finite loss does: stop training with an error naming the step (default), or skip that step. */
  onNonFinite?: 'stop' | 'skip';
  /**
   * The step watchdog, in milliseconds: a step that runs longer stops the worker threads and
   * rejects `fit` with a StepTimeoutError naming the step and the workers still computing (a
   * forward that never returns cannot be interrupted any other way). 'auto': max(30 s, 20 × the
   * median of the previous steps). Whatever the setting, the trainer's first step (which starts
   * the workers' replicas and imports model modules) gets at least 5 minutes. Default: none.
   */
  stepTimeout?: number | 'auto';
  /**
   * Training across MPI ranks (processes, on one machine or many): 'mpi' runs this process as
   * one rank of the MPI job that launched it (`mpirun`, `srun`, an MPIJob), each rank running
   * `workers` threads on its share of every batch's chunks; the parameters are bit-identical to
   * one process with ranks × workers workers. 'none': one process. 'auto' (default): 'mpi' when
   * the environment shows a launch of more than one rank (Hydra's PMI_SIZE, Slurm's
   * SLURM_NTASKS), else 'none'.
   */
  distributed?: 'auto' | 'mpi' | 'none';
  /** The MPI library to load (an MPICH-ABI `libmpi.so.12`); default: `LOOM_MPI`, else the usual names. */
  mpiLibrary?: string;
}

/** What `onStep` receives after each optimizer step. */
export interface StepInfo {
  /** The epoch, counted from 1 (as the CLI and the trainer's errors count). */
  epoch: number;
  /** This optimizer step, counted from 1 over all epochs (a resumed run goes on counting). */
  step: number;
  /** This batch of the epoch, counted from 1, of `batches` per epoch. */
  batch: number;
  batches: number;
  /** Mean training loss of the batch (penalties included). */
  loss: number;
  lr: number;
  samples: number;
  skipped: boolean;
  /** Milliseconds: gradients (the slowest worker's chunks), reduce+update (the slowest worker's slice), and the rest of the step (dispatch, barrier waits). */
  timings: { compute: number; reduceUpdate: number; sync: number; total: number };
}

/** What `onEpoch` receives after each epoch. */
export interface EpochInfo {
  /** The epoch just finished, counted from 1. */
  epoch: number;
  trainLoss: number;
  /** The learning rate the epoch started with. */
  lr: number;
  valLoss?: number;
  valAccuracy?: number;
  seconds: number;
  /** Throughput of the epoch's steps; in the first epoch of a `fit`, without its first step (worker start-up and warm-up). */
  samplesPerSecond: number;
}

/** Metrics of `evaluate`. */
export interface EvalResult {
  loss: number;
  /** Fraction of argmax predictions equal to class targets (class targets only; every position of a class sequence counts). */
  accuracy?: number;
  samples: number;
}
