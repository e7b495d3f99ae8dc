import { memoryContext, type Module } from '@loom/core';
import { batchRanges, type TableDataset, datasetToShared, RandomSampler, type SharedDataset } from '../data/index.js';
import type { EvalResultPart, StepResult, Task, UpdateSpec } from '../worker/messages.js';
import { type Dispatch, LoopDispatch, taskDispatch } from './dispatch.js';
import { planSlices } from './layout.js';
import { batchNormalizer } from './normalizer.js';
import type { EpochInfo, EvalResult, StepInfo, TrainerOptions } from './options.js';
import { defaultWorkers } from './pool.js';
import { createSetup, releaseSetup, type Setup } from './setup.js';
import { loadState, type Position, saveState, type TrainerState } from './state.js';
import { stepError, StepTimeoutError } from './step-error.js';
import { type ResolvedOptions, validateOptions } from './validate.js';
import { StepWatchdog } from './watchdog.js';

/** Options of `fit`. */
export interface FitOptions {
  epochs: number;
  validation?: TableDataset;
  onStep?: (info: StepInfo) => void;
  onEpoch?: (info: EpochInfo) => void | Promise<void>;
  signal?: AbortSignal;
}

/** How `fit` ended. */
export interface FitResult {
  stopped: 'done' | 'aborted';
  epoch: number;
  step: number;
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
  /** The model after close(), with parameters of its own. */
  private closedModel: Module | null = null;
  private readonly watchdog: StepWatchdog;

  constructor(options: TrainerOptions) {
    this.options = validateOptions(options, defaultWorkers());
    this.watchdog = new StepWatchdog(this.options.stepTimeout);
  }

  /** The main thread's model: its parameters are views of the trained parameters. */
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

  /** Trains for `epochs` more epochs (counting from where a loaded state left off). */
  async fit(dataset: TableDataset, fitOptions: FitOptions): Promise<FitResult> {
    const o = this.options;
    if (!Number.isInteger(fitOptions.epochs) || fitOptions.epochs < 1) {
      throw new RangeError(`fit: epochs must be a positive integer, got ${fitOptions.epochs}`);
    }
    if (dataset.length === 0) throw new RangeError('fit: the dataset is empty');
    const plateau = o.scheduler?.name === 'ReduceLROnPlateau' ? (o.scheduler.metric ?? 'valLoss') : null;
    if (plateau !== null && plateau !== 'trainLoss' && !fitOptions.validation) {
      throw new RangeError(`fit: ReduceLROnPlateau monitors ${plateau}: pass a validation set, or set scheduler.metric to 'trainLoss'`);
    }
    const setup = await this.ready();
    const desc = datasetToShared(dataset);
    const sampler = new RandomSampler(dataset.length, { seed: o.seed });
    const indices = new Int32Array(memoryContext().memory.buffer, setup.buffers.indices, o.batchSize);
    const lastEpoch = this.position.epoch + fitOptions.epochs;
    // The first step of a fit starts the workers' replicas and warms the JIT: it is left out of
    // the first epoch's throughput.
    let warmUp = true;
    while (this.position.epoch < lastEpoch) {
      let epochStart = performance.now();
      const order = sampler.indices(this.position.epoch);
      const ranges = batchRanges(order.length, o.batchSize, { dropLast: false });
      const lr = setup.optimizer.lr;
      let lossSum = 0;
      let lossCount = 0;
      let samples = 0;
      const dispatch = this.dispatch(setup, desc);
      try {
        for (; this.position.batchInEpoch < ranges.length; this.position.batchInEpoch++) {
          if (fitOptions.signal?.aborted) return { stopped: 'aborted', epoch: this.position.epoch, step: this.position.step };
          const [start, end] = ranges[this.position.batchInEpoch]!;
          indices.set(order.subarray(start, end));
          const info = await this.step(setup, dispatch, dataset, desc, indices.subarray(0, end - start), ranges.length);
          if (!info.skipped) {
            lossSum += info.loss;
            lossCount++;
          }
          if (warmUp && this.position.batchInEpoch + 1 < ranges.length) epochStart = performance.now();
          else samples += end - start;
          warmUp = false;
          fitOptions.onStep?.(info);
        }
      } finally {
        if (!this.stopped) await dispatch.close();
      }
      this.position.batchInEpoch = 0;
      this.position.epoch++;
      if (o.scheduler && plateau === null && o.scheduler.interval !== 'step') setup.optimizer.schedulerStep();
      const seconds = (performance.now() - epochStart) / 1000;
      const trainLoss = lossSum / Math.max(lossCount, 1);
      const info: EpochInfo = { epoch: this.position.epoch - 1, trainLoss, lr, seconds, samplesPerSecond: samples / seconds };
      if (fitOptions.validation) {
        const val = await this.evaluate(fitOptions.validation);
        info.valLoss = val.loss;
        if (val.accuracy !== undefined) info.valAccuracy = val.accuracy;
      }
      if (plateau !== null) {
        const metric = plateau === 'trainLoss' ? trainLoss : plateau === 'valLoss' ? info.valLoss : info.valAccuracy;
        if (metric === undefined) throw new RangeError(`fit: ReduceLROnPlateau monitors ${plateau}, which the validation set does not give (accuracy needs class targets)`);
        setup.optimizer.schedulerStep(metric);
      }
      await fitOptions.onEpoch?.(info);
    }
    return { stopped: 'done', epoch: this.position.epoch, step: this.position.step };
  }

  /** The dispatch of one epoch's rounds (see dispatch.ts); errors tear the pool down. */
  private dispatch(setup: Setup, desc: SharedDataset): Dispatch {
    if (this.options.dispatch === 'tasks') return taskDispatch((task) => this.run(setup, task));
    const loops = new LoopDispatch(setup.pool, this.options.workers, desc);
    return {
      round: async (tasks) => {
        try {
          return await loops.round(tasks);
        } catch (error) {
          this.teardown(setup, error);
          throw error;
        }
      },
      close: () => loops.close(),
    };
  }

  /**
   * After an error in a worker (or a worker thread's death): stops every thread so nothing is
   * left running or waiting at a barrier. The model and the state stay readable (`stateDict`);
   * `fit` and `evaluate` then refuse with the cause.
   */
  private teardown(setup: Setup, cause: unknown): void {
    if (this.stopped) return;
    this.stopped = new Error(`DataParallelTrainer: the worker threads stopped after an error (${(cause as Error)?.message ?? String(cause)}); create a new trainer`, { cause });
    void setup.pool.destroy();
  }

  private async step(setup: Setup, dispatch: Dispatch, dataset: TableDataset, desc: SharedDataset, batch: Int32Array, batches: number): Promise<StepInfo> {
    const o = this.options;
    const t0 = performance.now();
    const B = batch.length;
    const chunks = Math.ceil(B / o.microBatch);
    const normalizer = batchNormalizer(o.loss, dataset, batch);
    const lr = setup.optimizer.lr;
    const optimizer = setup.optimizer.beginStep();
    // Each worker takes a contiguous run of chunks.
    const W = o.workers;
    const shardWorkers = Math.min(W, chunks);
    const shardStarts = Array.from({ length: shardWorkers }, (_, w) => Math.floor((chunks * w) / shardWorkers));
    const update: UpdateSpec = {
      // Deterministic: every chunk's slot; otherwise each shard worker's accumulated slot.
      slots: o.deterministic ? Array.from({ length: chunks }, (_, c) => c) : shardStarts,
      optimizer: setup.optimizer.name,
      hyper: setup.optimizer.hyper(),
      step: optimizer.step,
      l1: o.l1,
      l2: o.l2,
      clipGradNorm: o.clipGradNorm ?? null,
    };
    // One task per worker: its run of chunks, then (after the workers meet) its slice.
    const slices = planSlices(setup.buffers.layout.length, W);
    setup.block.clearFailure();
    const tasks: Task[] = Array.from({ length: W }, (_, w) => ({
      kind: 'step',
      worker: w,
      shard:
        w < shardWorkers
          ? {
              dataset: desc,
              step: this.position.step,
              batchSize: B,
              microBatch: o.microBatch,
              chunkStart: shardStarts[w]!,
              chunkEnd: Math.floor((chunks * (w + 1)) / shardWorkers),
              normalizer,
              accumulate: !o.deterministic,
            }
          : null,
      slice: slices[w] ? { start: slices[w]![0], end: slices[w]![1] } : null,
      update,
      chunks,
      normalizer,
    }));
    const place = { step: this.position.step + 1, epoch: this.position.epoch + 1, batch: this.position.batchInEpoch + 1 };
    let results: StepResult[];
    try {
      results = await this.watchdog.watch(dispatch.round<StepResult>(tasks), (limitMs) => {
        const stuck = setup.block.computingWorkers();
        const who = stuck.length > 0 ? `worker${stuck.length > 1 ? 's' : ''} ${stuck.join(', ')} still computing ${stuck.length > 1 ? 'their' : 'its'} chunks` : 'every worker done with its chunks';
        const error = new StepTimeoutError(
          `step ${place.step} (epoch ${place.epoch}, batch ${place.batch}) ran past the watchdog's ${(limitMs / 1000).toFixed(1)} s with ${who}; the worker threads were stopped`,
          place,
          stuck,
          limitMs,
        );
        this.teardown(setup, error);
        return error;
      });
    } catch (error) {
      if (error instanceof StepTimeoutError) throw error;
      throw stepError(error, place, o.model);
    }
    this.watchdog.record(performance.now() - t0);
    let dataLoss = 0;
    for (const r of results) for (const l of r.losses) dataLoss += l;
    dataLoss /= normalizer;
    const info: StepInfo = {
      epoch: this.position.epoch,
      step: this.position.step,
      batch: this.position.batchInEpoch,
      batches,
      loss: dataLoss,
      lr,
      samples: B,
      skipped: false,
      timings: {
        compute: Math.max(...results.map((r) => r.shardMs)),
        reduceUpdate: Math.max(...results.map((r) => r.sliceMs)),
        sync: 0,
        total: 0,
      },
    };
    if (!results.every((r) => r.updated)) {
      // The workers skipped the update (they decide as this does, from the same sums).
      optimizer.cancel();
      if (o.onNonFinite === 'stop') {
        throw new Error(`training stopped: the loss is ${dataLoss} at step ${place.step} (epoch ${place.epoch}, batch ${place.batch}); parameters are those before this step`);
      }
      info.skipped = true;
    } else {
      info.loss += o.l1 * results.reduce((n, r) => n + r.absSum, 0) + o.l2 * results.reduce((n, r) => n + r.sqSum, 0);
      if (o.scheduler?.interval === 'step') setup.optimizer.schedulerStep();
    }
    this.position.step++;
    const total = performance.now() - t0;
    info.timings.total = total;
    info.timings.sync = Math.max(0, total - info.timings.compute - info.timings.reduceUpdate);
    return info;
  }

  /** Loss (and accuracy, for class targets) over a dataset, without gradients. */
  async evaluate(dataset: TableDataset, options: { batchSize?: number } = {}): Promise<EvalResult> {
    const setup = await this.ready();
    const desc = datasetToShared(dataset);
    const n = dataset.length;
    const chunk = options.batchSize ?? Math.max(this.options.microBatch, 64);
    const chunks = Math.ceil(n / chunk);
    const W = Math.min(this.options.workers, chunks);
    // Workers take whole chunks and the chunk sums are added in chunk order, so the result does
    // not depend on the number of workers.
    const parts = await Promise.all(
      Array.from({ length: W }, (_, w) =>
        this.run<EvalResultPart>(setup, {
          kind: 'eval',
          dataset: desc,
          start: Math.floor((chunks * w) / W) * chunk,
          end: Math.min(n, Math.floor((chunks * (w + 1)) / W) * chunk),
          microBatch: chunk,
        }),
      ),
    );
    const lossSum = parts.flatMap((p) => p.lossSums).reduce((s, v) => s + v, 0);
    const normalizer = parts.flatMap((p) => p.normalizers).reduce((s, v) => s + v, 0);
    const correct = parts.reduce((s, p) => s + p.correct, 0);
    const result: EvalResult = { loss: lossSum / normalizer, samples: n };
    // One prediction per target element: per row, or per position of a class sequence.
    if (dataset.targetKind === 'class') result.accuracy = correct / (n * dataset.targetDim);
    return result;
  }

  /** The trainer's whole state: model weights, optimizer buffers, and JSON metadata. */
  async stateDict(): Promise<TrainerState> {
    return saveState(await this.current(), this.position, { seed: this.options.seed, batchSize: this.options.batchSize });
  }

  /** Restores a state from `stateDict()`, so that training continues exactly. */
  async loadStateDict(state: TrainerState): Promise<void> {
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
