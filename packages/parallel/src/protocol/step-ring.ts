import { waitWhileEqual } from './barrier.js';

const PUBLISHED = 0;
const CONSUMED = 1;
export const EVENTS = 2;
const INT_WORDS = 4;
/** Float64 fields of an entry, then WORKER_FIELDS per worker. */
const STEP = 0;
const LOSS = 1;
const LR = 2;
const OUTCOME = 3;
const END = 4;
const ENTRY_FIELDS = 5;
const COMPUTE = 0;
const UPDATE = 1;
const ABS_SUM = 2;
const SQ_SUM = 3;
const WORKER_FIELDS = 4;
/** Float64 indices of the run's start time and of the last wake-up of the main thread, before the entries. */
const RUN_START = 0;
const LAST_SIGNAL = 1;
const HEADER_FLOATS = 2;
/**
 * Longest a published step waits for the main thread to be woken (unless the ring fills to half
 * first, or the run is gated). Waking the main thread for every step cost a core's share on a
 * 2-core machine, where the main thread ran beside two workers that meet at barriers every few
 * microseconds: a one-weight step at 2 workers took 150–230 µs in 500-step epochs. 50 ms is below
 * what a progress bar shows.
 */
export const SIGNAL_INTERVAL_MS = 50;

/**
 * What became of a published step: applied; skipped (the loss was not finite, onNonFinite:
 * 'skip'); or not applied and the run ends there (the loss was not finite, onNonFinite: 'stop').
 */
export const StepOutcome = { applied: 0, skipped: 1, nonFinite: 2 } as const;
export type StepOutcome = (typeof StepOutcome)[keyof typeof StepOutcome];

/** One published step as the main thread reads it. Times are milliseconds. */
export interface PublishedStep {
  step: number;
  /** The batch's mean data loss (penalties not included). */
  loss: number;
  lr: number;
  outcome: StepOutcome;
  /** The slowest worker's chunks, and slice. */
  compute: number;
  reduceUpdate: number;
  /** From the end of the previous step (or the start of the run) to the end of this one. */
  total: number;
  /** Σ|p| and Σp² of the parameters before the update, summed over the slices in worker order. */
  absSum: number;
  sqSum: number;
}

/** This thread's time origin, read once: the getter allocates on every read. */
const TIME_ORIGIN = performance.timeOrigin;

/** Milliseconds on a clock every thread shares (performance.now() has a per-thread origin). */
export function sharedClock(): number {
  return TIME_ORIGIN + performance.now();
}

/**
 * The ring through which the workers report each step to the main thread, which never blocks:
 * workers write their part of step k's entry, the last to finish the step publishes it (bumps
 * PUBLISHED), and the main thread, woken through Atomics.waitAsync on EVENTS, reads the entries
 * and advances CONSUMED. A publish moves EVENTS (waking the main thread) only when the ring is
 * half full, SIGNAL_INTERVAL_MS after the last wake-up, or in a gated run, so the main thread
 * wakes a few times per ring rather than once per step. A worker about to write an entry the main
 * thread has not read yet waits for CONSUMED; a run that must stop exactly where the main thread
 * says (an abort signal) also waits, before committing step k, until step k − 1 is consumed.
 * Entry indices count from 0 in each run. EVENTS also moves when a worker ends its command, so
 * the main thread waits on one word for everything.
 */
export class StepRing {
  readonly words: Int32Array;
  private readonly floats: Float64Array;
  private readonly entryFloats: number;

  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly capacity: number,
    readonly workers: number,
  ) {
    this.words = new Int32Array(buffer, 0, INT_WORDS);
    this.entryFloats = ENTRY_FIELDS + workers * WORKER_FIELDS;
    this.floats = new Float64Array(buffer, INT_WORDS * 4, HEADER_FLOATS + capacity * this.entryFloats);
  }

  static create(capacity: number, workers: number): StepRing {
    return new StepRing(
      new SharedArrayBuffer(INT_WORDS * 4 + (HEADER_FLOATS + capacity * (ENTRY_FIELDS + workers * WORKER_FIELDS)) * 8),
      capacity,
      workers,
    );
  }

  private base(k: number): number {
    return HEADER_FLOATS + (k % this.capacity) * this.entryFloats;
  }

  // Main thread.

  /** Before a run: no entry published or consumed, the clock starts now. */
  reset(): void {
    Atomics.store(this.words, PUBLISHED, 0);
    Atomics.store(this.words, CONSUMED, 0);
    this.floats[RUN_START] = this.floats[LAST_SIGNAL] = sharedClock();
  }

  get published(): number {
    return Atomics.load(this.words, PUBLISHED);
  }

  get consumed(): number {
    return Atomics.load(this.words, CONSUMED);
  }

  get events(): number {
    return Atomics.load(this.words, EVENTS);
  }

  /**
   * When step k was published, on this thread's performance.now() clock.
   * @param k - a published, not yet consumed entry's run-relative index.
   */
  publishedAt(k: number): number {
    return this.floats[this.base(k) + END]! - performance.timeOrigin;
  }

  /** Entry k (published, not yet consumed). */
  read(k: number): PublishedStep {
    const f = this.floats;
    const b = this.base(k);
    const previousEnd = k === 0 ? f[RUN_START]! : f[this.base(k - 1) + END]!;
    let compute = 0;
    let reduceUpdate = 0;
    let absSum = 0;
    let sqSum = 0;
    for (let w = 0; w < this.workers; w++) {
      const o = b + ENTRY_FIELDS + w * WORKER_FIELDS;
      compute = Math.max(compute, f[o + COMPUTE]!);
      reduceUpdate = Math.max(reduceUpdate, f[o + UPDATE]!);
      absSum += f[o + ABS_SUM]!;
      sqSum += f[o + SQ_SUM]!;
    }
    return {
      step: f[b + STEP]!,
      loss: f[b + LOSS]!,
      lr: f[b + LR]!,
      outcome: f[b + OUTCOME]! as StepOutcome,
      compute,
      reduceUpdate,
      total: f[b + END]! - previousEnd,
      absSum,
      sqSum,
    };
  }

  /** Entries [0, k) are read: their room may be reused, and a gated step k may commit. */
  consume(k: number): void {
    Atomics.store(this.words, CONSUMED, k);
    Atomics.notify(this.words, CONSUMED);
  }

  // Workers.

  /** Waits until entry k's room is free (entry k − capacity consumed). */
  waitForRoom(k: number): void {
    for (let c = this.consumed; c <= k - this.capacity; c = this.consumed) waitWhileEqual(this.words, CONSUMED, c);
  }

  /** Waits until the main thread has consumed entries [0, k). */
  waitConsumed(k: number): void {
    for (let c = this.consumed; c < k; c = this.consumed) waitWhileEqual(this.words, CONSUMED, c);
  }

  writeWorker(k: number, worker: number, compute: number, update: number, absSum: number, sqSum: number): void {
    const o = this.base(k) + ENTRY_FIELDS + worker * WORKER_FIELDS;
    const f = this.floats;
    f[o + COMPUTE] = compute;
    f[o + UPDATE] = update;
    f[o + ABS_SUM] = absSum;
    f[o + SQ_SUM] = sqSum;
  }

  /** Worker w's fields of entry k (compute, update, Σ|p|, Σp²), to copy between ranks. */
  workerFields(k: number, worker: number): Float64Array {
    const o = this.base(k) + ENTRY_FIELDS + worker * WORKER_FIELDS;
    return this.floats.subarray(o, o + WORKER_FIELDS);
  }

  writeStep(k: number, step: number, loss: number, lr: number, outcome: StepOutcome): void {
    const b = this.base(k);
    const f = this.floats;
    f[b + STEP] = step;
    f[b + LOSS] = loss;
    f[b + LR] = lr;
    f[b + OUTCOME] = outcome;
  }

  /**
   * By the last worker to finish step k, once every worker's part is written.
   * @param k - the run-relative index of the step.
   * @param gated - whether the run waits for each step to be consumed (then the main thread is woken at once).
   */
  publish(k: number, gated: boolean): void {
    const now = sharedClock();
    this.floats[this.base(k) + END] = now;
    Atomics.store(this.words, PUBLISHED, k + 1);
    const halfFull = k + 1 - this.consumed >= this.capacity >> 1;
    if (gated || halfFull || now - this.floats[LAST_SIGNAL]! >= SIGNAL_INTERVAL_MS) this.signal(now);
  }

  /**
   * Wakes the main thread (steps published, or a worker done with its command).
   * @param now - the sharedClock() time, when the caller has it.
   */
  signal(now: number = sharedClock()): void {
    this.floats[LAST_SIGNAL] = now;
    Atomics.add(this.words, EVENTS, 1);
    Atomics.notify(this.words, EVENTS);
  }
}
