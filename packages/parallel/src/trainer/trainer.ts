import { checkNoArguments, checkOptions, formatValue, type Module, optionKeys, type Tensor } from '@loom/core';
import { type TableDataset, datasetToShared } from '../data/index.js';
import type { ChunkCounts, EvalResultPart, Task } from '../protocol/messages.js';
import type { RankPlacement } from '../protocol/ranks.js';
import type { PublishedStep } from '../protocol/step-ring.js';
import { type EpochRun, runEpoch, stepInfo } from './epoch-run.js';
import type { EpochInfo, EvalResult, StepInfo, TrainerOptions } from './options.js';
import { mpiRanks, platform } from '../platform/platform.js';
import { callerModuleUrl } from './model-origin.js';
import { createSetup, releaseSetup, type Setup } from './setup.js';
import { loadState, localOptimizerTensors, type Position, saveState, type TrainerState } from './state.js';
import { type ResolvedOptions, validateOptions } from './validate.js';
import { StepWatchdog } from './watchdog.js';

/** Options of `fit`. */
export interface FitOptions {
  /** Epochs to train, a positive integer, counted from the trainer's current epoch. */
  epochs: number;
  /** Rows evaluated after each epoch (`valLoss`, `valAccuracy` in `onEpoch`); ReduceLROnPlateau on a validation metric needs it. */
  validation?: TableDataset;
  /** Called after each step with its loss, lr and position. */
  onStep?: (info: StepInfo) => void;
  /** Called after each epoch (and its validation); `fit` awaits a returned promise before the next epoch. */
  onEpoch?: (info: EpochInfo) => void | Promise<void>;
  /** Aborting it stops training after the current step; `fit` then resolves with `stopped: 'aborted'`. */
  signal?: AbortSignal;
}

const FIT_OPTIONS = optionKeys<FitOptions>({ epochs: true, validation: true, onStep: true, onEpoch: true, signal: true });

/** How `fit` ended. */
export interface FitResult {
  stopped: 'done' | 'aborted';
  /** Epochs finished: the last `onEpoch` saw this epoch. */
  epoch: number;
  /** Steps done: the last `onStep` saw this step. */
  step: number;
  /**
   * What the worker threads' ops ran on (`describeKernels()` in a worker, which reads LOOM_BLAS
   * and LOOM_KERNELS from the environment the threads started with): null when no step ran.
   */
  kernels: string | null;
  /**
   * The chunks (micro-batches) the workers ran in this fit: `replayed` from recorded kernel calls,
   * `normal` through the model's JS (the first of each chunk shape, its check, and all of them
   * with `replaySteps: false` or a model that cannot be replayed; see the package README).
   */
  chunks: ChunkCounts;
}

/**
 * Data-parallel training on worker threads over one shared memory. Every step, each worker
 * computes the gradients of its fixed micro-batches ("chunks") into per-chunk slots, the workers
 * meet at a barrier, and each sums the slots over its slice of the flat parameter vector in one
 * fixed tree order and applies the optimizer there. The parameters are bit-identical whatever the
 * number of workers.
 */
export class DataParallelTrainer {
  readonly options: ResolvedOptions;
  private setup: Promise<Setup> | null = null;
  private position: Position = { epoch: 0, batchInEpoch: 0, step: 0 };
  /** Why the workers are gone (an error in a worker, or close()): nothing more can run. */
  private stopped: Error | null = null;
  /** Set while workers step through an epoch on their own: the shared state is in flux. */
  private running: string | null = null;
  /** The model after close(), with parameters of its own. */
  private closedModel: Module | null = null;
  private readonly watchdog: StepWatchdog;

  /**
   * Checks the options (a TypeError names a faulty one); the model is built and the workers start
   * on first use.
   * @param options - the model, loss, optimizer and batch settings; `model` may be a factory
   * function that the calling module exports, and a relative `model.module` path resolves from
   * the calling module's file
   */
  constructor(options: TrainerOptions) {
    this.options = validateOptions(options, platform().defaultWorkers(), callerModuleUrl());
    this.watchdog = new StepWatchdog(this.options.stepTimeout);
  }

  /**
   * Where this process trains: its MPI rank, the number of ranks and the worker threads of each
   * (rank 0 of 1 without MPI). Under MPI this starts MPI (collective: every rank calls it, or
   * any of the methods below, at the same point).
   */
  async placement(): Promise<RankPlacement> {
    return (await this.current()).placement;
  }

  /**
   * The main thread's model, whose parameters are views of the trained parameters (copies after
   * `close()`). Async: the first call builds the model and starts the workers, so
   * `const model = await trainer.model()`.
   */
  async model(): Promise<Module> {
    return this.closedModel ?? (await this.current()).model;
  }

  private ready(): Promise<Setup> {
    if (this.stopped) return Promise.reject(this.stopped);
    this.setup ??= createSetup(this.options);
    return this.setup;
  }

  /**
   * Runs a task; an error inside a worker (or a worker thread's death) tears the pool down so
   * nothing is left running, and rejects with the worker's error and stack.
   */
  private async run<R>(setup: Setup, task: Task): Promise<R> {
    try {
      return (await setup.pool.run(task)) as R;
    } catch (error) {
      this.teardown(setup, error);
      throw error;
    }
  }

  /**
   * Trains for `epochs` more epochs (counting from where a loaded state left off).
   * @param dataset - the training rows (from `loadArrow`, `datasetFromArrays`…; not empty), in shared memory, which the
   *   workers read in place; batches follow the trainer's `seed` and `batchSize`
   * @param fitOptions - the number of epochs and optional validation set, callbacks and abort signal, see {@link FitOptions}
   * @param extra - arguments past those taken: none are, so any throws rather than being ignored
   */
  async fit(dataset: TableDataset, fitOptions: FitOptions, ...extra: never[]): Promise<FitResult> {
    const o = this.options;
    checkNoArguments('fit', extra, 'the dataset and its options');
    if (fitOptions === undefined) throw new TypeError('fit: options { epochs } are required');
    checkOptions('fit', fitOptions, FIT_OPTIONS);
    if (!Number.isInteger(fitOptions.epochs) || fitOptions.epochs < 1) {
      throw new RangeError(`fit: epochs must be a positive integer, got ${formatValue(fitOptions.epochs)}`);
    }
    if (dataset.length === 0) throw new RangeError('fit: the dataset is empty');
    const plateau = o.scheduler?.name === 'ReduceLROnPlateau' ? (o.scheduler.metric ?? 'valLoss') : null;
    if (plateau !== null && plateau !== 'trainLoss' && !fitOptions.validation) {
      throw new RangeError(`fit: ReduceLROnPlateau monitors ${plateau}: pass a validation set, or set scheduler.metric to 'trainLoss'`);
    }
    const setup = await this.ready();
    setup.chunkCounts = { replayed: 0, normal: 0 };
    const desc = datasetToShared(dataset);
    const batches = Math.ceil(dataset.length / o.batchSize);
    const lastEpoch = this.position.epoch + fitOptions.epochs;
    const { signal } = fitOptions;
    // An abort asks the workers to stop before their next commit; a gated run waits for each
    // step's report to be read first, so the stop falls exactly after the step whose onStep saw it.
    const stop = (): void => setup.block.requestStop();
    signal?.addEventListener('abort', stop);
    const run: EpochRun = {
      setup,
      options: o,
      position: this.position,
      watchdog: this.watchdog,
      signal,
      teardown: (cause) => this.teardown(setup, cause),
      stopped: () => this.stopped !== null,
      running: (label) => (this.running = label),
    };
    // The first step of a fit starts the workers' replicas and warms the JIT: it is left out of
    // the first epoch's throughput.
    let warmUp = true;
    try {
      while (this.position.epoch < lastEpoch) {
        let epochStart = performance.now();
        const lr = setup.optimizer.lr;
        const epoch = { lossSum: 0, lossCount: 0, samples: 0 };
        const onStep = (p: PublishedStep): void => {
          const info = stepInfo(p, o, this.position, batches, dataset.length);
          if (!info.skipped) {
            epoch.lossSum += info.loss;
            epoch.lossCount++;
          }
          if (warmUp && this.position.batchInEpoch + 1 < batches) epochStart = performance.now();
          else epoch.samples += info.samples;
          warmUp = false;
          fitOptions.onStep?.(info);
        };
        run.position = this.position;
        const ended = await runEpoch(run, desc, batches, onStep);
        if (ended === 'stopped') return { stopped: 'aborted', ...this.fitEnd(setup) };
        this.position.batchInEpoch = 0;
        this.position.epoch++;
        if (o.scheduler && plateau === null && o.scheduler.interval !== 'step') setup.optimizer.schedulerStep();
        const seconds = (performance.now() - epochStart) / 1000;
        const trainLoss = epoch.lossSum / Math.max(epoch.lossCount, 1);
        const info: EpochInfo = { epoch: this.position.epoch, trainLoss, lr, seconds, samplesPerSecond: epoch.samples / seconds };
        if (fitOptions.validation) {
          const val = await this.evaluate(fitOptions.validation);
          info.valLoss = val.loss;
          if (val.accuracy !== undefined) info.valAccuracy = val.accuracy;
        }
        if (plateau !== null) {
          const metric = plateau === 'trainLoss' ? trainLoss : plateau === 'valLoss' ? info.valLoss : info.valAccuracy;
          if (metric === undefined)
            throw new RangeError(
              `fit: ReduceLROnPlateau monitors ${plateau}, which the validation set does not give (accuracy needs class targets)`,
            );
          setup.optimizer.schedulerStep(metric);
        }
        await fitOptions.onEpoch?.(info);
      }
    } finally {
      signal?.removeEventListener('abort', stop);
    }
    return { stopped: 'done', ...this.fitEnd(setup) };
  }

  /** Where a fit ended and what its workers ran. */
  private fitEnd(setup: Setup): Omit<FitResult, 'stopped'> {
    return { epoch: this.position.epoch, step: this.position.step, kernels: setup.workerKernels, chunks: { ...setup.chunkCounts } };
  }

  private refuseWhileRunning(what: string): void {
    if (this.running) {
      throw new Error(
        `DataParallelTrainer: ${what} was called while the workers run ${this.running} on their own (dispatch 'persistent'), when the parameters change under it; call it from onEpoch or after fit returns (abort fit's signal to stop mid-epoch)`,
      );
    }
  }

  /**
   * After an error in a worker (or a worker thread's death): stops every thread so nothing is
   * left running or waiting at a barrier. The model and the state stay readable (`stateDict`);
   * `fit` and `evaluate` then refuse with the cause.
   */
  private teardown(setup: Setup, cause: unknown): void {
    if (this.stopped) return;
    this.stopped = new Error(
      `DataParallelTrainer: the worker threads stopped after an error (${(cause as Error)?.message ?? String(cause)}); create a new trainer`,
      { cause },
    );
    void setup.pool.destroy();
  }

  /**
   * Loss (and accuracy, for class targets) over a dataset, without gradients.
   * @param dataset - the rows to evaluate, with the training data's feature and target layout
   * @param options - `batchSize`: rows per evaluation chunk (default the larger of `microBatch` and 64); the loss is the
   *   sum over chunks divided by the sum of their normalizers, whatever the number of workers
   * @param extra - arguments past those taken: none are, so any throws rather than being ignored
   */
  async evaluate(dataset: TableDataset, options: { batchSize?: number } = {}, ...extra: never[]): Promise<EvalResult> {
    checkNoArguments('evaluate', extra, 'the dataset and its options');
    checkOptions('evaluate', options, ['batchSize']);
    this.refuseWhileRunning('evaluate()');
    const setup = await this.ready();
    const desc = datasetToShared(dataset);
    const n = dataset.length;
    const chunk = options.batchSize ?? Math.max(this.options.microBatch, 64);
    if (!Number.isInteger(chunk) || chunk < 1)
      throw new RangeError(`evaluate: batchSize must be a positive integer, got ${formatValue(chunk)}`);
    const chunks = Math.ceil(n / chunk);
    // Under MPI each rank takes its share of the chunks, and the per-chunk sums are gathered.
    const { world } = setup;
    const [first, last] = world ? mpiRanks().evalShare(chunks, world.size, world.rank) : [0, chunks];
    const local = last - first;
    const W = Math.min(this.options.workers, local);
    // Workers take whole chunks and the chunk sums are added in chunk order, so the result does
    // not depend on the number of workers or ranks.
    const own = await Promise.all(
      Array.from({ length: W }, (_, w) =>
        this.run<EvalResultPart>(setup, {
          kind: 'eval',
          dataset: desc,
          datasetIndex: 0,
          start: (first + Math.floor((local * w) / W)) * chunk,
          end: Math.min(n, (first + Math.floor((local * (w + 1)) / W)) * chunk),
          microBatch: chunk,
        }),
      ),
    );
    const mine: EvalResultPart = {
      lossSums: own.flatMap((p) => p.lossSums),
      normalizers: own.flatMap((p) => p.normalizers),
      correct: own.reduce((s, p) => s + p.correct, 0),
    };
    const parts = world ? [await mpiRanks().gatherEval(world, chunks, mine)] : [mine];
    const lossSum = parts.flatMap((p) => p.lossSums).reduce((s, v) => s + v, 0);
    const normalizer = parts.flatMap((p) => p.normalizers).reduce((s, v) => s + v, 0);
    const correct = parts.reduce((s, p) => s + p.correct, 0);
    const result: EvalResult = { loss: lossSum / normalizer, samples: n };
    // One prediction per target element: per row, or per position of a class sequence.
    if (dataset.targetKind === 'class') result.accuracy = correct / (n * dataset.targetDim);
    return result;
  }

  /**
   * The trainer's whole state: model weights, optimizer buffers, and JSON metadata. Under MPI it
   * is collective (each rank holds only its range of the optimizer state, gathered here): every
   * rank calls it, and one of them writes it.
   * @param args - none are taken: any argument throws rather than being ignored
   */
  async stateDict(...args: never[]): Promise<TrainerState> {
    checkNoArguments('DataParallelTrainer.stateDict', args);
    this.refuseWhileRunning('stateDict()');
    const setup = await this.current();
    const { world } = setup;
    let optimizer: Record<string, Tensor>;
    if (world && world.size > 1) {
      if (this.stopped) {
        throw new Error(
          `DataParallelTrainer: stateDict() after the workers stopped (${this.stopped.message}): each of the ${world.size} ranks holds only its range of the optimizer state, and the ranks no longer meet to gather it; resume from the last checkpoint`,
        );
      }
      optimizer = await mpiRanks().gatherOptimizerState(world, setup.buffers, this.options.workers);
    } else optimizer = localOptimizerTensors(setup.buffers);
    return saveState(setup, this.position, { seed: this.options.seed, batchSize: this.options.batchSize }, optimizer);
  }

  /**
   * Restores a state from `stateDict()`, so that training continues exactly.
   * @param state - a state `stateDict()` returned for the same model, optimizer and buffers, saved with the same `seed`
   *   and `batchSize` (else an Error naming the difference)
   * @param extra - arguments past those taken: none are, so any throws rather than being ignored
   */
  async loadStateDict(state: TrainerState, ...extra: never[]): Promise<void> {
    checkNoArguments('DataParallelTrainer.loadStateDict', extra, 'the state');
    this.refuseWhileRunning('loadStateDict()');
    this.position = loadState(await this.ready(), state, { seed: this.options.seed, batchSize: this.options.batchSize });
  }

  /** The setup, also after the workers stopped on an error (for stateDict and model). */
  private async current(): Promise<Setup> {
    if (this.setup) return this.setup;
    return this.ready();
  }

  /**
   * Stops the worker threads and returns the shared memory the trainer held. The model stays
   * usable: its parameters become copies of the trained values.
   */
  async close(): Promise<void> {
    const setup = this.setup && (await this.setup.catch(() => null));
    this.stopped ??= new Error('DataParallelTrainer: closed');
    this.setup = null;
    if (setup) {
      await releaseSetup(setup);
      this.closedModel = setup.model;
    }
  }
}
