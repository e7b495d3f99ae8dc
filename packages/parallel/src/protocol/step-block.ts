import { arriveAndWait } from './barrier.js';

const BARRIER_COUNT = 0;
const BARRIER_GENERATION = 1;
/** Set by a worker whose part of a step threw: every worker then ends the run. */
const FAILED = 2;
/** Set by the main thread to ask the workers to stop at the next step boundary. */
const STOP_REQUESTED = 3;
/** The stop request as the last worker to reach a step's first barrier saw it: what all obey. */
const STOP_DECIDED = 4;
const INT_WORDS = 8;

/**
 * The small shared block through which the workers of one step agree without the main thread:
 * a barrier, a failure flag, the stop request and its per-step decision, every chunk's summed
 * loss (so each worker can tell a non-finite step alone) and each worker's Σg² (so each can
 * compute the clipping norm alone). Sums are always taken in index order, so every worker
 * reaches the same decision.
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
  ) {
    this.words = new Int32Array(buffer, 0, INT_WORDS);
    this.chunkLosses = new Float64Array(buffer, INT_WORDS * 4, maxChunks);
    this.sumSquares = new Float64Array(buffer, INT_WORDS * 4 + maxChunks * 8, workers);
    this.computing = new Int32Array(buffer, INT_WORDS * 4 + (maxChunks + workers) * 8, workers);
  }

  static create(maxChunks: number, workers: number): StepBlock {
    return new StepBlock(new SharedArrayBuffer(INT_WORDS * 4 + (maxChunks + workers) * 8 + workers * 4), maxChunks, workers);
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
    for (const w of [FAILED, STOP_REQUESTED, STOP_DECIDED]) Atomics.store(this.words, w, 0);
  }
}
