import type { SharedDataset } from '../data/index.js';
import type { OptimizerStateDict } from '../optimizer/optimizer-state.js';
import type { ModelSpec, NamedSpec } from '../trainer/options.js';
import type { ErrorReply } from './errors.js';
import type { DistributedSetup } from './ranks.js';
import type { SharedBuffers } from './shared-buffers.js';

/** What every worker thread receives once (piscina's workerData in Node, the first message to a Web Worker). */
export interface WorkerSetup {
  /** The main thread's shared WebAssembly.Memory. */
  memory: unknown;
  /** Byte ranges of the memory, one per worker thread, claimed in order through `claim`. */
  regions: { base: number; bytes: number }[];
  /** An Int32Array(1) over a SharedArrayBuffer: the next region to claim. */
  claim: Int32Array;
  buffers: SharedBuffers;
  /** The StepBlock's and StepRing's SharedArrayBuffers, and their sizes (the ring has one worker entry per global worker). */
  stepBlock: { buffer: SharedArrayBuffer; maxChunks: number; workers: number };
  stepRing: { buffer: SharedArrayBuffer; capacity: number };
  /** The compiled WebAssembly kernel module, or null where it is unavailable. */
  wasmModule: unknown;
  model: ModelSpec;
  /** The printed tree of the model the main thread built with the factory function passed as the model (`model` then names its module and export); null for the other forms. */
  factoryModel: string | null;
  loss: NamedSpec;
  /** The training settings every step of every run follows. */
  training: TrainingSettings;
  /** This process's place among MPI ranks, or null for a single process. */
  distributed: DistributedSetup | null;
}

/** The trainer options a worker's steps follow (see TrainerOptions). */
export interface TrainingSettings {
  seed: number;
  batchSize: number;
  microBatch: number;
  optimizer: NamedSpec;
  scheduler: (NamedSpec & { interval?: 'epoch' | 'step' }) | undefined;
  deterministic: boolean;
  /** Whether chunks may be replayed from recorded kernel calls (worker/chunk-replay.ts; 'auto': built-in models only). */
  replaySteps: boolean | 'auto';
  l1: number;
  l2: number;
  clipGradNorm: number | null;
  onNonFinite: 'stop' | 'skip';
}

/**
 * Run the batches [batchStart, batchEnd) of an epoch, back to back: every worker derives each
 * batch's rows from the seeded sampler, computes its run of chunks, meets the others at the step's
 * barriers, and reports each step in the StepRing.
 */
export interface RunTask {
  kind: 'run';
  /** Which part of every step this thread plays (its run of chunks, its slice). */
  worker: number;
  /** The training set (in a persistent loop: null, the loop holds it). */
  dataset: SharedDataset | null;
  epoch: number;
  batchStart: number;
  batchEnd: number;
  /** The global step number of the first batch. */
  step: number;
  /** The optimizer's and scheduler's state at the start of the run. */
  optimizer: OptimizerStateDict;
  /** Wait before committing step k until the main thread has read step k − 1 (exact stops). */
  gated: boolean;
}

/** How a worker's run ended. */
export interface RunResult {
  ended: 'done' | 'stopped' | 'nonFinite' | 'failed';
  /** Steps published (applied, skipped, or the non-finite one that ended the run). */
  published: number;
  /** The optimizer state after the run (worker 0 only). */
  optimizer: OptimizerStateDict | null;
  /** `describeKernels()` in the worker: what its ops ran on (worker 0 only). */
  kernels: string | null;
  /** The chunks this worker ran in the run, replayed and normally. */
  chunks: ChunkCounts;
}

/** Chunks run by replaying their recorded kernels, and normally (see worker/chunk-replay.ts). */
export interface ChunkCounts {
  replayed: number;
  normal: number;
}

/** Loss sums and correct predictions of rows [start, end) of a dataset, in chunks of `microBatch` rows, without gradients. */
export interface EvalTask {
  kind: 'eval';
  /** The dataset (in a persistent loop: null, and `datasetIndex` names one the loop holds). */
  dataset: SharedDataset | null;
  datasetIndex: number;
  start: number;
  end: number;
  microBatch: number;
}

/** Per evaluation chunk of the task, in order: the main thread sums them in one fixed order. */
export interface EvalResultPart {
  lossSums: number[];
  normalizers: number[];
  correct: number;
}

/** Keep the thread for a fit: run commands from the mailbox (see worker/loop.ts). */
export interface LoopTask {
  kind: 'loop';
  mailbox: SharedArrayBuffer;
  workers: number;
  index: number;
  generation: number;
  /** The datasets commands refer to: the training set first, then the validation set. */
  datasets: SharedDataset[];
}

export interface ExitCommand {
  kind: 'exit';
}

export type Task = RunTask | EvalTask | LoopTask;
/** What a persistent loop's mailbox carries in. */
export type LoopCommand = RunTask | EvalTask | ExitCommand;

/** A worker's reply to one command: its result, or the error it threw (class name, message and stack). */
export type LoopReply = { ok: unknown } | { error: ErrorReply };
