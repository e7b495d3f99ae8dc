/**
 * The main thread's side of training across MPI ranks: the process's MPI world (started once, on
 * first use, and finalized when the process is about to exit), the check that every rank trains
 * the same thing, and the collectives between runs: the optimizer state (each rank holds its
 * range) gathered for a checkpoint and evaluation split across ranks. Every function here is collective: each rank
 * must call it at the same point.
 */
import { createHash } from 'node:crypto';
import { memoryContext, type Tensor } from '@loom/core';
import { autoDistributed } from '../distributed/launch.js';
import { IN_PLACE } from '../distributed/mpich-abi.js';
import { MpiWorld } from '../distributed/world.js';
import { rankRanges } from '../protocol/ranks.js';
import type { EvalResultPart } from '../protocol/messages.js';
import type { SharedBuffers } from '../protocol/shared-buffers.js';
import { optimizerBufferTensors } from './state.js';
import type { ResolvedOptions } from './validate.js';

let world: Promise<MpiWorld> | null = null;

/**
 * This process's MPI world, started on first use over the shared WebAssembly memory, and
 * finalized once the event loop is about to empty (`beforeExit`), or by `finalizeMpi()`.
 */
export function processWorld(library: string | undefined): Promise<MpiWorld> {
  world ??= MpiWorld.start(memoryContext().memory.buffer, library).then((w) => {
    process.once('beforeExit', () => void w.close());
    return w;
  });
  return world;
}

/**
 * This process's MPI rank and the number of ranks, read from MPI (which this starts) when the
 * environment shows a launch of several ranks (see `autoDistributed`); rank 0 of 1 otherwise. A
 * program that must act on its rank before it creates a trainer (only rank 0 writes files) asks
 * here; the trainer then joins the same MPI world.
 */
export async function processRank(): Promise<{ rank: number; ranks: number }> {
  if (autoDistributed(process.env) === 'none') return { rank: 0, ranks: 1 };
  const w = await processWorld(process.env['LOOM_MPI']);
  return { rank: w.rank, ranks: w.size };
}

/**
 * Finalizes MPI if a trainer started it (a no-op otherwise): call it once training is over, on
 * every rank, before the process exits. A process cannot start MPI again afterwards.
 */
export async function finalizeMpi(): Promise<void> {
  if (world) await (await world).close();
}

/** Runs `use` with `bytes` of scratch in the shared memory (where MPI can reach), then frees them. */
async function withScratch<R>(bytes: number, use: (offset: number, view: Float64Array) => Promise<R>): Promise<R> {
  const { allocator, memory } = memoryContext();
  const offset = allocator.alloc(Math.max(8, bytes));
  try {
    return await use(offset, new Float64Array(memory.buffer, offset, bytes / 8));
  } finally {
    allocator.release(offset);
  }
}

/** What must be equal on every rank for the ranks to train one model together. */
function trainingHash(o: ResolvedOptions): number {
  const { model, loss, optimizer, scheduler, batchSize, microBatch, seed, l1, l2, clipGradNorm, onNonFinite, deterministic } = o;
  const text = JSON.stringify({
    model,
    loss,
    optimizer,
    scheduler,
    batchSize,
    microBatch,
    seed,
    l1,
    l2,
    clipGradNorm,
    onNonFinite,
    deterministic,
  });
  return createHash('sha256').update(text).digest().readUIntBE(0, 6);
}

/**
 * Checks that every rank runs the same number of worker threads, the same model layout and the
 * same training options; throws on every rank, naming the first rank that differs from rank 0.
 */
export async function checkRanksAgree(w: MpiWorld, o: ResolvedOptions, paramLength: number): Promise<void> {
  const fields = 3;
  await withScratch(w.size * fields * 8, async (offset, all) => {
    all.set([o.workers, paramLength, trainingHash(o)], w.rank * fields);
    await w.allgather(IN_PLACE, fields, offset, 'float64');
    for (let r = 1; r < w.size; r++) {
      const [workers, length, hash] = all.subarray(r * fields, (r + 1) * fields);
      if (workers !== all[0]) {
        throw new Error(
          `rank ${r} runs ${workers} worker threads and rank 0 runs ${all[0]}: every rank must run the same number (--workers)`,
        );
      }
      if (length !== all[1])
        throw new Error(
          `rank ${r} built a model of ${length} parameters (padded) and rank 0 one of ${all[1]}: every rank must train the same model`,
        );
      if (hash !== all[2])
        throw new Error(
          `rank ${r} trains with other options than rank 0 (model, loss, optimizer, scheduler, batch, micro-batch, seed or penalties): every rank must get the same ones`,
        );
    }
  });
}

/**
 * Every rank's range of each optimizer state buffer gathered (each rank holds only its own), as
 * the per-parameter copies of a saved state, on every rank. One buffer at a time goes through a
 * scratch vector of the whole layout, freed before the next.
 */
export async function gatherOptimizerState(w: MpiWorld, buffers: SharedBuffers, workers: number): Promise<Record<string, Tensor>> {
  const P = buffers.layout.length;
  const ranges = rankRanges(P, w.size, workers);
  const counts = ranges.map(([s, e]) => e - s);
  const displs = ranges.map(([s]) => s);
  const tensors: Record<string, Tensor> = {};
  const { allocator, memory } = memoryContext();
  for (const [buffer, offset] of Object.entries(buffers.state)) {
    const whole = allocator.alloc(Math.max(4, P * 4));
    try {
      await w.allgatherv(offset, counts, displs, whole, 'float32');
      Object.assign(tensors, optimizerBufferTensors(buffers.layout, buffer, new Float32Array(memory.buffer, whole, P)));
    } finally {
      allocator.release(whole);
    }
  }
  return tensors;
}

/** Evaluation chunks [start, end) of this rank's share, out of `chunks`. */
export function evalShare(chunks: number, ranks: number, rank: number): [number, number] {
  return [Math.floor((chunks * rank) / ranks), Math.floor((chunks * (rank + 1)) / ranks)];
}

/**
 * Every rank's evaluation sums gathered: the per-chunk loss sums and normalisers in chunk order
 * (this rank's share of chunks is given from chunk `first` on), and the correct predictions of
 * every rank (integers: their sum is exact in any order).
 */
export async function gatherEval(w: MpiWorld, chunks: number, own: EvalResultPart): Promise<EvalResultPart> {
  const shares = Array.from({ length: w.size }, (_, r) => evalShare(chunks, w.size, r));
  const first = shares[w.rank]![0];
  const bytes = (2 * chunks + w.size) * 8;
  return withScratch(bytes, async (offset, all) => {
    const losses = all.subarray(0, chunks);
    const normalizers = all.subarray(chunks, 2 * chunks);
    const correct = all.subarray(2 * chunks);
    losses.set(own.lossSums, first);
    normalizers.set(own.normalizers, first);
    correct[w.rank] = own.correct;
    const counts = shares.map(([s, e]) => e - s);
    const displs = shares.map(([s]) => s);
    await w.allgatherv(IN_PLACE, counts, displs, offset, 'float64');
    await w.allgatherv(IN_PLACE, counts, displs, offset + chunks * 8, 'float64');
    await w.allgather(IN_PLACE, 1, offset + 2 * chunks * 8, 'float64');
    return { lossSums: Array.from(losses), normalizers: Array.from(normalizers), correct: correct.reduce((a, b) => a + b, 0) };
  });
}
