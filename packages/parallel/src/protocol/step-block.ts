import { arriveAndWait } from './barrier.js';

const BARRIER_COUNT = 0;
const BARRIER_GENERATION = 1;
/** Set by a worker whose part of a step threw: every worker then ends the run. */
const FAILED = 2;
/** Set by the main thread to ask the workers to stop at the next step boundary. */
const STOP_REQUESTED = 3;
/** The stop request as the last worker to reach a step's first barrier saw it: what all obey. */
const STOP_DECIDED = 4;
/** Under MPI: 1 + the first rank whose step failed (0: none, or this rank's own failure). */
const FAILED_RANK = 5;
/** Under MPI: 1 while a worker exchanges with the other ranks (the watchdog says who waits). */
const EXCHANGING = 6;
const INT_WORDS = 8;

/**
 * The small shared block through which the workers of one step agree without the main thread:
 * a barrier, a failure flag, the stop request and its per-step decision, every chunk's summed
 * loss (so each worker can tell a non-finite step alone) and each worker's Σg² (so each can
 * compute the clipping norm alone). Sums are always taken in index order, so every worker
 * reaches the same decision. Under MPI the chunk losses and Σg² are those of every rank (one per
 * global worker) once exchanged; the barrier is this process's workers'.
 */
export class StepBlock {
  readonly words: Int32Array;
  readonly chunkLosses: Float64Array;
  readonly sumSquares: Float64Array;
  /** 1 while a worker computes its chunks (forward and backward, the user's code), else 0: the watchdog names the stuck ones. */
  readonly computing: Int32Array;

  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly maxChunks: number,
    readonly workers: number,
    /** Workers across every rank (`workers` in a single process). */
    readonly globalWorkers: number = workers,
  ) {
    this.words = new Int32Array(buffer, 0, INT_WORDS);
    this.chunkLosses = new Float64Array(buffer, INT_WORDS * 4, maxChunks);
    this.sumSquares = new Float64Array(buffer, INT_WORDS * 4 + maxChunks * 8, globalWorkers);
    this.computing = new Int32Array(buffer, INT_WORDS * 4 + (maxChunks + globalWorkers) * 8, workers);
  }

  static create(maxChunks: number, workers: number, globalWorkers: number = workers): StepBlock {
    return new StepBlock(
      new SharedArrayBuffer(INT_WORDS * 4 + (maxChunks + globalWorkers) * 8 + workers * 4),
      maxChunks,
      workers,
      globalWorkers,
    );
  }

  /** Marks worker `w` as computing its chunks (true) or done with them (false). */
  setComputing(w: number, computing: boolean): void {
    Atomics.store(this.computing, w, computing ? 1 : 0);
  }

  /** The workers computing their chunks now. */
  computingWorkers(): number[] {
    const out: number[] = [];
    for (let w = 0; w < this.workers; w++) if (Atomics.load(this.computing, w) !== 0) out.push(w);
    return out;
  }

  /** Waits until every worker of the step has arrived; the last one runs `lastArrived` first. */
  barrier(lastArrived?: () => void): void {
    arriveAndWait(this.words, BARRIER_COUNT, BARRIER_GENERATION, this.workers, lastArrived);
  }

  /** Marks the step as failed (a worker threw); the others then skip the update. */
  fail(): void {
    Atomics.store(this.words, FAILED, 1);
  }

  get failed(): boolean {
    return Atomics.load(this.words, FAILED) !== 0;
  }

  /** Under MPI: another rank's step failed, so this one fails too. */
  failRemote(rank: number): void {
    if (!this.failed) Atomics.store(this.words, FAILED_RANK, rank + 1);
    this.fail();
  }

  /** The other rank whose failure ended the step, or null. */
  get failedRank(): number | null {
    const r = Atomics.load(this.words, FAILED_RANK);
    return r === 0 ? null : r - 1;
  }

  /** Under MPI: the step stops because some rank was asked to stop. */
  stopAll(): void {
    Atomics.store(this.words, STOP_DECIDED, 1);
  }

  /** Marks the stretch where a worker waits on the other ranks. */
  setExchanging(exchanging: boolean): void {
    Atomics.store(this.words, EXCHANGING, exchanging ? 1 : 0);
  }

  get exchanging(): boolean {
    return Atomics.load(this.words, EXCHANGING) !== 0;
  }

  /** Main thread: asks the workers to stop before committing their next step. */
  requestStop(): void {
    Atomics.store(this.words, STOP_REQUESTED, 1);
  }

  /** Last arriver of a step's first barrier: fixes this step's answer to the stop request. */
  decideStop(): void {
    Atomics.store(this.words, STOP_DECIDED, Atomics.load(this.words, STOP_REQUESTED));
  }

  /** Whether this step stops, as decided at its first barrier. */
  get stopping(): boolean {
    return Atomics.load(this.words, STOP_DECIDED) !== 0;
  }

  /** Cleared by the main thread before each run of steps. */
  reset(): void {
    for (const w of [FAILED, STOP_REQUESTED, STOP_DECIDED, FAILED_RANK, EXCHANGING]) Atomics.store(this.words, w, 0);
  }
}
