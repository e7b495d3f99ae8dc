import { type Module, mul, sumSlotsKernel, type Tensor, type TypedArray, withArena } from '@loom/core';
import { type TableDataset, gatherBatch } from '../data/index.js';
import { ignoredClass } from '../data/batch-normalizer.js';
import type { FoldPlan } from '../protocol/gradient-fold.js';
import type { ChunkCounts } from '../protocol/messages.js';
import { floatView, slotGradients } from '../protocol/shared-buffers.js';
import type { WorkerContext } from './context.js';
import { chunkSeed, generatorOf } from './seeds.js';
import { ChunkReplay, type RecordedChunk, replayable } from './chunk-replay.js';

/** One step's batch as a worker sees it: the rows, the step number and the loss normaliser. */
export interface StepBatch {
  dataset: TableDataset;
  /** The epoch's sample order; the batch is its indices [first, first + size) (no view made per step). */
  order: Int32Array;
  first: number;
  size: number;
  step: number;
  normalizer: number;
}

const gradientViews = new Map<number, Tensor[]>();
const vectorViews = new Map<number, Float32Array>();
const sumSources = new Map<readonly number[], Float32Array[]>();

/** Slot `slot` as one tensor view per parameter (what backward writes into). */
function gradientsOf(ctx: WorkerContext, slot: number): Tensor[] {
  let views = gradientViews.get(slot);
  if (!views) {
    views = slotGradients(ctx.memory, ctx.setup.buffers, slot);
    gradientViews.set(slot, views);
  }
  return views;
}

/** Slot `slot` as one float32 view of the whole vector (what the fold sums). */
export function vectorOf(ctx: WorkerContext, slot: number): Float32Array {
  let view = vectorViews.get(slot);
  if (!view) {
    const { buffers } = ctx.setup;
    view = floatView(ctx.memory, buffers.slots + slot * buffers.layout.length * 4, buffers.layout.length);
    vectorViews.set(slot, view);
  }
  return view;
}

/** Seeds every module that draws random numbers (dropout) from (seed, step, chunk). */
function seedRandomness(model: Module, seed: number, step: number, chunk: number): void {
  let k = 0;
  for (const m of model.modules()) generatorOf(m)?.manualSeed(chunkSeed(seed, step, chunk, k++));
}

let replay: ChunkReplay | null | undefined;
let replayed = 0;
let normal = 0;

/** The chunks run since the last call, replayed and normally; starts counting again. */
export function takeChunkCounts(): ChunkCounts {
  const counts = { replayed, normal };
  replayed = 0;
  normal = 0;
  return counts;
}

/** This worker's chunk replay, or null where the trainer turned it off or the model cannot be replayed. */
function replayOf(ctx: WorkerContext): ChunkReplay | null {
  if (replay === undefined) {
    const mode = ctx.setup.training.replaySteps;
    // A built-in model's forward is a pure function of input and parameters; yours only if you say so.
    const allowed = mode === true || (mode === 'auto' && 'builtin' in ctx.setup.model);
    const possible = allowed && ctx.setup.buffers.statisticsLayout.norms.length === 0 && replayable(ctx.model);
    replay = possible ? newReplay(ctx) : null;
  }
  return replay;
}

/** A chunk replay over this worker's slots (apart from replayOf, whose every call would otherwise allocate the closure's context). */
function newReplay(ctx: WorkerContext): ChunkReplay {
  return new ChunkReplay((slot) => vectorOf(ctx, slot), ctx.setup.buffers.layout);
}

/** Classes of the model's output, from the last chunk run normally on class targets (-1: none yet). */
let classes = -1;
const checkedTargets = new WeakMap<TableDataset, boolean>();

/**
 * Whether a replayed chunk may see any row of `dataset`: a replay skips the loss's check of its
 * targets, so class indices must all be ones the loss accepts (in [0, classes), or the ignored
 * index) before any chunk of the dataset is replayed. Checked once per dataset; a dataset that
 * fails runs normally, and the loss names the bad target when its row comes.
 */
function targetsReplayable(ctx: WorkerContext, dataset: TableDataset): boolean {
  const targets = dataset.targets;
  if (!(targets instanceof Int32Array)) return true;
  let ok = checkedTargets.get(dataset);
  if (ok === undefined) {
    if (classes < 0) return false;
    const ignored = ignoredClass(ctx.setup.loss);
    ok = true;
    for (let i = 0; i < targets.length && ok; i++) ok = (targets[i]! >= 0 && targets[i]! < classes) || targets[i] === ignored;
    checkedTargets.set(dataset, ok);
  }
  return ok;
}

/**
 * Forward and backward of one chunk, the gradient of (chunk's summed loss / batch normaliser)
 * written straight into slot `slot` (`overwrite`), or added to what it holds; the chunk's summed
 * loss goes to the step block. Replayed where it can be (see chunk-replay.ts).
 */
function runChunk(ctx: WorkerContext, batch: StepBatch, chunk: number, slot: number, overwrite: boolean): void {
  const { microBatch } = ctx.setup.training;
  const start = batch.first + chunk * microBatch;
  const end = Math.min(start + microBatch, batch.first + batch.size);
  const losses = ctx.block.chunkLosses;
  const replay = replayOf(ctx);
  const { dataset, order: rows, normalizer } = batch;
  const shape = replay?.shape(slot, overwrite, end - start, normalizer) ?? null;
  if (shape !== null && targetsReplayable(ctx, dataset) && replay!.replayInto(shape, dataset, rows, start, end, losses, chunk)) {
    replayed++;
    return;
  }
  normal++;
  const work = normalRun(ctx, batch, chunk, slot, overwrite, start, end);
  losses[chunk] = shape === null ? work(null) : replay!.run(shape, dataset, rows, start, end, work);
}

/**
 * The chunk's run through the model's JS, as a function replay can record (apart from runChunk:
 * the closure's captured variables would otherwise be allocated on every call, replayed ones too).
 */
function normalRun(
  ctx: WorkerContext,
  batch: StepBatch,
  chunk: number,
  slot: number,
  overwrite: boolean,
  start: number,
  end: number,
): RecordedChunk {
  const grads = gradientsOf(ctx, slot);
  const { dataset, order: rows, normalizer } = batch;
  return (capture) => {
    // Backward writes each parameter's first gradient straight into the slot (no zero-fill).
    for (let i = 0; i < ctx.params.length; i++) {
      const p = ctx.params[i]!;
      p.grad = grads[i]!;
      p.overwriteGrad = overwrite;
    }
    seedRandomness(ctx.model, ctx.setup.training.seed, batch.step, chunk);
    ctx.statistics.begin(chunk);
    const loss = withArena(() => {
      const b = gatherBatch(dataset, rows.subarray(start, end));
      const output = ctx.model.forward(b.features);
      if (b.targets.dtype === 'int32') classes = output.shape[output.ndim === 1 ? 0 : 1] ?? -1;
      const value = ctx.criterion.forward(output, b.targets);
      mul(value, 1 / normalizer).backward();
      capture?.batch(b.features.data(), b.targets.data(), value.data());
      return value.item();
    });
    const unreached: TypedArray[] = [];
    for (let i = 0; i < ctx.params.length; i++) {
      const p = ctx.params[i]!;
      // A parameter this chunk did not reach still holds old bytes: zero it.
      if (p.overwriteGrad) unreached.push(grads[i]!.data().fill(0));
      p.grad = null;
      p.overwriteGrad = false;
    }
    capture?.unreached(unreached);
    return loss;
  };
}

/**
 * A worker's run of chunks in a step: its chunks in order, each into its slot, folded as the plan says
 * (see protocol/gradient-fold.ts). Each chunk's summed loss goes to the step block.
 */
export function runChunks(ctx: WorkerContext, plan: FoldPlan, worker: number, batch: StepBatch): void {
  const sum = sumSlotsKernel.select('float32');
  const first = plan.runs[worker]![0];
  // Only the worker's evaluations change the mode; train() walks every module, allocating.
  if (!ctx.model.training) ctx.model.train();
  const ops = plan.workerOps[worker]!;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if ('chunk' in op) {
      // Deterministic plans give every chunk a free slot; accumulating ones add into one.
      const overwrite = ctx.setup.training.deterministic || op.chunk === first;
      runChunk(ctx, batch, op.chunk, op.slot, overwrite);
    } else {
      let sources = sumSources.get(op.sum.srcs);
      if (!sources) {
        sources = op.sum.srcs.map((s) => vectorOf(ctx, s));
        sumSources.set(op.sum.srcs, sources);
      }
      sum(vectorOf(ctx, op.sum.dst), sources);
    }
  }
}
