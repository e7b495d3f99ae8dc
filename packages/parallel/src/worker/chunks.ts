import { Generator, type Module, mul, sumSlotsKernel, type Tensor, type TypedArray, withArena } from '@loom/core';
import { type TableDataset, gatherBatch } from '../data/index.js';
import type { FoldPlan } from '../protocol/gradient-fold.js';
import type { ChunkCounts } from '../protocol/messages.js';
import { floatView, slotGradients } from '../protocol/shared-buffers.js';
import type { WorkerContext } from './context.js';
import { chunkSeed } from './seeds.js';
import { ChunkReplay, type RecordedChunk, replayable } from './chunk-replay.js';

/** One step's batch as a worker sees it: the rows, the step number and the loss normaliser. */
export interface StepBatch {
  dataset: TableDataset;
  /** The batch's sample indices. */
  rows: Int32Array;
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
  for (const m of model.modules()) {
    const g = (m as { generator?: unknown }).generator;
    if (g instanceof Generator) g.manualSeed(chunkSeed(seed, step, chunk, k++));
  }
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
    replay = possible ? new ChunkReplay((slot) => vectorOf(ctx, slot), ctx.setup.buffers.layout) : null;
  }
  return replay;
}

/**
 * Forward and backward of one chunk, the gradient of (chunk's summed loss / batch normaliser)
 * written straight into slot `slot` (`overwrite`), or added to what it holds; the chunk's summed
 * loss goes to the step block. Replayed where it can be (see chunk-replay.ts).
 */
function runChunk(ctx: WorkerContext, batch: StepBatch, chunk: number, slot: number, overwrite: boolean): void {
  const { microBatch } = ctx.setup.training;
  const start = chunk * microBatch;
  const end = Math.min(start + microBatch, batch.rows.length);
  const losses = ctx.block.chunkLosses;
  const replay = replayOf(ctx);
  const { dataset, rows, normalizer } = batch;
  if (replay !== null && replay.replayInto(slot, overwrite, normalizer, dataset, rows, start, end, losses, chunk)) {
    replayed++;
    return;
  }
  normal++;
  const grads = gradientsOf(ctx, slot);
  const work: RecordedChunk = (capture) => {
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
      const value = ctx.criterion.forward(ctx.model.forward(b.features), b.targets);
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
  losses[chunk] = replay === null ? work(null) : replay.run(slot, overwrite, normalizer, dataset, rows, start, end, work);
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
  for (const op of plan.workerOps[worker]!) {
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
