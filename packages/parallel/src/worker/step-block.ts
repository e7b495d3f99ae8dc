import { arriveAndWait } from './barrier.js';

const BARRIER_COUNT = 0;
const BARRIER_GENERATION = 1;
const FAILED = 2;
const INT_WORDS = 4;

/**
 * The small shared block through which the workers of one step agree without the main thread:
 * a barrier, a failure flag, every chunk's summed loss (so each worker can tell a non-finite
 * step alone) and each worker's Σg² (so each can compute the clipping norm alone). Sums are
 * always taken in index order, so every worker reaches the same decision.
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

  /** Waits until every worker of the step has arrived. */
  barrier(): void {
    arriveAndWait(this.words, BARRIER_COUNT, BARRIER_GENERATION, this.workers);
  }

  /** Marks the step as failed (a worker threw); the others then skip the update. */
  fail(): void {
    Atomics.store(this.words, FAILED, 1);
  }

  get failed(): boolean {
    return Atomics.load(this.words, FAILED) !== 0;
  }

  /** Cleared by the main thread before each step. */
  clearFailure(): void {
    Atomics.store(this.words, FAILED, 0);
  }
}
