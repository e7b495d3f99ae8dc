import { kernelInfo, manualSeed, memoryContext, type Module, type Tensor, Storage, Tensor as TensorClass, wasmModule } from '@loom/core';
import type { Piscina } from 'piscina';
import { type Dataset, datasetToShared, RandomSampler, batchRanges, type SharedDataset } from '../data/index.js';
import type { EvalResultPart, StepResult, Task, UpdateSpec, WorkerSetup } from '../worker/messages.js';
import { StepBlock } from '../worker/step-block.js';
import { planLayout, planSlices } from './layout.js';
import type { EpochInfo, EvalResult, StepInfo, TrainerOptions } from './options.js';
import { type Dispatch, LoopDispatch, taskDispatch } from './dispatch.js';
import { createPool, defaultWorkers } from './pool.js';
import { bindParameters, ownedParameters, type SharedBuffers } from './shared-buffers.js';
import { buildModel } from './spec.js';
import { validateOptions, type ResolvedOptions } from './validate.js';
import { OptimizerState } from './optimizer-state.js';
import { batchNormalizer } from './normalizer.js';

/** Options of `fit`. */
export interface FitOptions {
  epochs: number;
  validation?: Dataset;
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

/** Everything needed to resume: tensors for safetensors, and JSON metadata. */
export interface TrainerState {
  tensors: Record<string, Tensor>;
  meta: Record<string, unknown>;
}

interface Setup {
  model: Module;
  buffers: SharedBuffers;
  block: StepBlock;
  pool: Piscina<Task, unknown>;
  optimizer: OptimizerState;
}

/**
 * Data-parallel training on worker threads over one shared memory: each step, shard tasks
 * compute the gradients of fixed micro-batches into their own slots, then slice tasks sum the
 * slots in a fixed tree order and apply the optimizer to their slice of the flat parameters.
 * The result is bit-identical whatever the number of workers.
 */
export class DataParallelTrainer {
  readonly options: ResolvedOptions;
  private setup: Promise<Setup> | null = null;
  private epoch = 0;
  private batchInEpoch = 0;
  private steps = 0;
  private datasetIds = new WeakMap<Dataset, SharedDataset>();

  constructor(options: TrainerOptions) {
    this.options = validateOptions(options, defaultWorkers());
  }

  /** The main thread's model: its parameters are views of the trained parameters. */
  async model(): Promise<Module> {
    return (await this.ready()).model;
  }

  private ready(): Promise<Setup> {
    this.setup ??= this.initialise();
    return this.setup;
  }

  private async initialise(): Promise<Setup> {
    const o = this.options;
    manualSeed(o.seed);
    const model = await buildModel(o.model);
    const layout = planLayout(ownedParameters(model).map(({ name, param }) => ({ name, shape: param.shape })));
    const optimizer = new OptimizerState(o.optimizer, o.scheduler, layout.length);
    const ctx = memoryContext();
    const P = layout.length;
    const slotCount = Math.ceil(o.batchSize / o.microBatch);
    const state: Record<string, number> = {};
    for (const name of optimizer.bufferNames) state[name] = ctx.allocator.alloc(P * 4);
    const buffers: SharedBuffers = {
      layout,
      params: ctx.allocator.alloc(P * 4),
      slots: ctx.allocator.alloc(slotCount * P * 4),
      slotCount,
      state,
      indices: ctx.allocator.alloc(o.batchSize * 4),
      batchCapacity: o.batchSize,
    };
    new Float32Array(ctx.memory.buffer, buffers.params, P).fill(0);
    for (const [name, offset] of Object.entries(state)) optimizer.initBuffer(name, new Float32Array(ctx.memory.buffer, offset, P));
    bindParameters(model, ctx.memory, buffers, true);
    const regionBytes = o.workerMemory ?? Math.max(64 << 20, 6 * P * 4 + (48 << 20));
    const regions = Array.from({ length: o.workers }, () => ({ base: ctx.allocator.alloc(regionBytes), bytes: regionBytes }));
    const block = StepBlock.create(slotCount, o.workers);
    const workerSetup: WorkerSetup = {
      memory: ctx.memory.memory,
      regions,
      claim: new Int32Array(new SharedArrayBuffer(4)),
      buffers,
      stepBlock: { buffer: block.buffer, maxChunks: slotCount, workers: o.workers },
      wasmModule: kernelInfo().backend === 'js' ? null : wasmModule(),
      model: o.model,
      loss: o.loss,
      seed: o.seed,
    };
    return { model, buffers, block, pool: createPool(o.workers, workerSetup), optimizer };
  }

  private shared(ds: Dataset): SharedDataset {
    let desc = this.datasetIds.get(ds);
    if (!desc) {
      desc = datasetToShared(ds);
      this.datasetIds.set(ds, desc);
    }
    return desc;
  }

  /**
   * Runs a task; an error inside a worker (or a worker thread's death) tears the pool down so
   * nothing is left running, and rejects with the worker's error and stack.
   */
  private async run<R>(setup: Setup, task: Task): Promise<R> {
    try {
      return (await setup.pool.run(task)) as R;
    } catch (error) {
      this.teardown(setup);
      throw error;
    }
  }

  /** Trains for `epochs` more epochs (counting from where a loaded state left off). */
  async fit(dataset: Dataset, fitOptions: FitOptions): Promise<FitResult> {
    const o = this.options;
    if (!Number.isInteger(fitOptions.epochs) || fitOptions.epochs < 1) {
      throw new RangeError(`fit: epochs must be a positive integer, got ${fitOptions.epochs}`);
    }
    if (dataset.length === 0) throw new RangeError('fit: the dataset is empty');
    const setup = await this.ready();
    const desc = this.shared(dataset);
    const sampler = new RandomSampler(dataset.length, { seed: o.seed });
    const indices = new Int32Array(memoryContext().memory.buffer, setup.buffers.indices, o.batchSize);
    const lastEpoch = this.epoch + fitOptions.epochs;
    while (this.epoch < lastEpoch) {
      const epochStart = performance.now();
      const order = sampler.indices(this.epoch);
      const ranges = batchRanges(order.length, o.batchSize, { dropLast: false });
      let lossSum = 0;
      let lossCount = 0;
      let samples = 0;
      const dispatch = this.dispatch(setup, desc);
      try {
        for (; this.batchInEpoch < ranges.length; this.batchInEpoch++) {
          if (fitOptions.signal?.aborted) return { stopped: 'aborted', epoch: this.epoch, step: this.steps };
          const [start, end] = ranges[this.batchInEpoch]!;
          indices.set(order.subarray(start, end));
          const info = await this.step(setup, dispatch, dataset, desc, indices.subarray(0, end - start), ranges.length);
          if (!info.skipped) {
            lossSum += info.loss;
            lossCount++;
          }
          samples += end - start;
          fitOptions.onStep?.(info);
        }
      } finally {
        if (this.setup) await dispatch.close();
      }
      this.batchInEpoch = 0;
      this.epoch++;
      if (o.scheduler && o.scheduler.interval !== 'step') setup.optimizer.schedulerStep();
      const seconds = (performance.now() - epochStart) / 1000;
      const info: EpochInfo = { epoch: this.epoch - 1, trainLoss: lossSum / Math.max(lossCount, 1), seconds, samplesPerSecond: samples / seconds };
      if (fitOptions.validation) {
        const val = await this.evaluate(fitOptions.validation);
        info.valLoss = val.loss;
        if (val.accuracy !== undefined) info.valAccuracy = val.accuracy;
      }
      await fitOptions.onEpoch?.(info);
    }
    return { stopped: 'done', epoch: this.epoch, step: this.steps };
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
          this.teardown(setup);
          throw error;
        }
      },
      close: () => loops.close(),
    };
  }

  private teardown(setup: Setup): void {
    if (this.setup) {
      this.setup = null;
      void setup.pool.destroy();
    }
  }

  private async step(setup: Setup, dispatch: Dispatch, dataset: Dataset, desc: SharedDataset, batch: Int32Array, batches: number): Promise<StepInfo> {
    const o = this.options;
    const t0 = performance.now();
    const B = batch.length;
    const chunks = Math.ceil(B / o.microBatch);
    const normalizer = batchNormalizer(o.loss, dataset, batch);
    const lr = setup.optimizer.lr;
    const optimizer = setup.optimizer.beginStep();
    const update: UpdateSpec = {
      slotCount: chunks,
      optimizer: setup.optimizer.name,
      hyper: setup.optimizer.hyper(),
      step: optimizer.step,
      l1: o.l1,
      l2: o.l2,
      clipGradNorm: o.clipGradNorm ?? null,
    };
    // One task per worker: its run of chunks, then (after the workers meet) its slice.
    const W = o.workers;
    const shardWorkers = Math.min(W, chunks);
    const slices = planSlices(setup.buffers.layout.length, W);
    setup.block.clearFailure();
    const tasks: Task[] = Array.from({ length: W }, (_, w) => ({
      kind: 'step',
      worker: w,
      shard:
        w < shardWorkers
          ? {
              dataset: desc,
              step: this.steps,
              batchSize: B,
              microBatch: o.microBatch,
              chunkStart: Math.floor((chunks * w) / shardWorkers),
              chunkEnd: Math.floor((chunks * (w + 1)) / shardWorkers),
              normalizer,
            }
          : null,
      slice: slices[w] ? { start: slices[w]![0], end: slices[w]![1] } : null,
      update,
      chunks,
      normalizer,
    }));
    const results = await dispatch.round<StepResult>(tasks);
    let dataLoss = 0;
    for (const r of results) for (const l of r.losses) dataLoss += l;
    dataLoss /= normalizer;
    const info: StepInfo = {
      epoch: this.epoch,
      step: this.steps,
      batch: this.batchInEpoch,
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
        throw new Error(`training stopped: the loss is ${dataLoss} at step ${this.steps} (epoch ${this.epoch}, batch ${this.batchInEpoch}); parameters are those before this step`);
      }
      info.skipped = true;
    } else {
      info.loss += o.l1 * results.reduce((n, r) => n + r.absSum, 0) + o.l2 * results.reduce((n, r) => n + r.sqSum, 0);
      if (o.scheduler?.interval === 'step') setup.optimizer.schedulerStep();
    }
    this.steps++;
    const total = performance.now() - t0;
    info.timings.total = total;
    info.timings.sync = Math.max(0, total - info.timings.compute - info.timings.reduceUpdate);
    return info;
  }

  /** Loss (and accuracy, for class targets) over a dataset, without gradients. */
  async evaluate(dataset: Dataset, options: { batchSize?: number } = {}): Promise<EvalResult> {
    const setup = await this.ready();
    const desc = this.shared(dataset);
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
    if (dataset.targetKind === 'class') result.accuracy = correct / n;
    return result;
  }

  /** The trainer's whole state: model weights, optimizer buffers, and JSON metadata. */
  async stateDict(): Promise<TrainerState> {
    const setup = await this.ready();
    const tensors: Record<string, Tensor> = {};
    for (const [name, p] of setup.model.namedParameters()) tensors[`model.${name}`] = p.clone();
    const memory = memoryContext().memory;
    const P = setup.buffers.layout.length;
    for (const [name, offset] of Object.entries(setup.buffers.state)) {
      tensors[`optimizer.${name}`] = new TensorClass(Storage.view(memory, offset, P, 'float32'), [P]).clone();
    }
    return {
      tensors,
      meta: {
        format: 'loom-trainer-v1',
        epoch: this.epoch,
        batchInEpoch: this.batchInEpoch,
        step: this.steps,
        optimizer: setup.optimizer.stateDict(),
      },
    };
  }

  /** Restores a state from `stateDict()`, so that training continues exactly. */
  async loadStateDict(state: TrainerState): Promise<void> {
    const setup = await this.ready();
    const meta = state.meta;
    if (meta['format'] !== 'loom-trainer-v1') throw new Error(`loadStateDict: not a Loom trainer state (format ${String(meta['format'])})`);
    for (const [name, p] of setup.model.namedParameters()) {
      const t = state.tensors[`model.${name}`];
      if (!t) throw new Error(`loadStateDict: missing weights for ${name}`);
      if (t.numel !== p.numel) throw new Error(`loadStateDict: ${name} has ${t.numel} values, the model needs ${p.numel}`);
      (p.data() as Float32Array).set(t.contiguous().to('float32').data());
    }
    const memory = memoryContext().memory;
    const P = setup.buffers.layout.length;
    for (const [name, offset] of Object.entries(setup.buffers.state)) {
      const t = state.tensors[`optimizer.${name}`];
      if (!t || t.numel !== P) throw new Error(`loadStateDict: missing or mis-sized optimizer buffer ${name}`);
      new Float32Array(memory.buffer, offset, P).set(t.contiguous().to('float32').data());
    }
    setup.optimizer.loadStateDict(meta['optimizer'] as Record<string, unknown>);
    this.epoch = Number(meta['epoch']);
    this.batchInEpoch = Number(meta['batchInEpoch']);
    this.steps = Number(meta['step']);
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    if (!this.setup) return;
    const setup = await this.setup.catch(() => null);
    this.setup = null;
    await setup?.pool.destroy();
  }
}
