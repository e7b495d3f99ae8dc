/**
 * How the ranks of an MPI job share a step, as every thread of every rank computes it alike.
 *
 * Rank r's worker w plays global worker g = r·W + w of G = R·W (W threads on every rank): the
 * chunk run, the block of gradient slots and the slice of the flat vector that one process with
 * G workers would give worker g. The chunk tree is the same whatever the cut (gradient-fold.ts),
 * so the parameters are those of one process with G workers, which are those of one worker.
 * A single process is rank 0 of 1.
 *
 * The ranks agree through one record per rank in the shared WebAssembly memory (float64s, all
 * ranks' records back to back, gathered in place): the step's flags, the rank's chunk losses, its
 * workers' ring fields and Σg².
 */
import { planSlices } from './param-layout.js';

/** Where a process stands: its rank, the number of ranks, and the worker threads of each. */
export interface RankPlacement {
  readonly rank: number;
  readonly ranks: number;
  readonly workers: number;
}

/** The placement of a process that is not part of an MPI job. */
export const singleProcess = (workers: number): RankPlacement => ({ rank: 0, ranks: 1, workers });

/** The global worker that local worker w plays. */
export const globalWorker = (p: RankPlacement, w: number): number => p.rank * p.workers + w;

/** Global workers in the job. */
export const globalWorkers = (p: RankPlacement): number => p.ranks * p.workers;

/**
 * Each rank's range [start, end) of the flat vector: the union of its workers' slices (contiguous,
 * since slices follow worker order); empty where its workers have no slice.
 */
export function rankRanges(length: number, ranks: number, workers: number): [number, number][] {
  const slices = planSlices(length, ranks * workers);
  const ranges: [number, number][] = [];
  let end = 0;
  for (let r = 0; r < ranks; r++) {
    const own = slices.slice(r * workers, (r + 1) * workers);
    const start = own[0]?.[0] ?? end;
    end = own.at(-1)?.[1] ?? end;
    ranges.push([start, end]);
  }
  return ranges;
}

/** Per-worker fields of a record, in the order of the step ring's (compute, update, Σ|p|, Σp²). */
export const RING_FIELDS = 4;

/** Float64 offsets inside one rank's record. */
export interface RecordLayout {
  /** Float64s per record. */
  readonly floats: number;
  /** 1 when the rank's step failed (a worker threw). */
  readonly failed: 0;
  /** 1 when the rank was asked to stop (its stop decision). */
  readonly stop: 1;
  /** The chunk losses (only the rank's own chunks are meaningful). */
  readonly losses: number;
  /** RING_FIELDS per local worker. */
  readonly ring: number;
  /** Σg² per local worker (gradient clipping). */
  readonly squares: number;
}

export function recordLayout(maxChunks: number, workers: number): RecordLayout {
  const losses = 2;
  const ring = losses + maxChunks;
  const squares = ring + RING_FIELDS * workers;
  return { floats: squares + workers, failed: 0, stop: 1, losses, ring, squares };
}

/** What the workers of a rank need to reach the others: the MPI thread's control block and the records. */
export interface DistributedSetup {
  readonly rank: number;
  readonly ranks: number;
  /** The MPI thread's control block (see distributed/comm-protocol.ts). */
  readonly control: SharedArrayBuffer;
  /** Byte offset of every rank's record in the shared memory, back to back. */
  readonly records: number;
}
