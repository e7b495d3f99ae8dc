import type { NamedSpec, ModelSpec } from '../trainer/options.js';
import type { SharedBuffers } from '../trainer/shared-buffers.js';
import type { SharedDataset } from '../data/index.js';

/** What every worker receives once, as piscina's workerData. */
export interface WorkerSetup {
  /** The main thread's shared WebAssembly.Memory. */
  memory: unknown;
  /** Byte ranges of the memory, one per worker thread, claimed in order through `claim`. */
  regions: { base: number; bytes: number }[];
  /** An Int32Array(1) over a SharedArrayBuffer: the next region to claim. */
  claim: Int32Array;
  buffers: SharedBuffers;
  /** The StepBlock's SharedArrayBuffer, its chunk capacity and the worker count. */
  stepBlock: { buffer: SharedArrayBuffer; maxChunks: number; workers: number };
  /** The compiled WebAssembly kernel module, or null where it is unavailable. */
  wasmModule: unknown;
  model: ModelSpec;
  loss: NamedSpec;
  seed: number;
}

/** Gradients of chunks [chunkStart, chunkEnd) of the current global batch into their slots. */
export interface ShardTask {
  dataset: SharedDataset;
  step: number;
  batchSize: number;
  microBatch: number;
  chunkStart: number;
  chunkEnd: number;
  /** The batch-wide divisor of summed losses (see @loom/losses lossNormalizer). */
  normalizer: number;
  /**
   * Accumulate every chunk into the slot of the first (deterministic: false): fewer slots to
   * reduce, but the sums then depend on how chunks fall to workers.
   */
  accumulate: boolean;
}

/** A slice [start, end) of the flat parameter vector. */
export interface SliceRange {
  start: number;
  end: number;
}

/** What the update of every slice of one step needs. */
export interface UpdateSpec {
  /**
   * The gradient slots to sum, in this order: every chunk of the batch (deterministic), or each
   * shard worker's one accumulated slot (deterministic: false).
   */
  slots: number[];
  optimizer: string;
  hyper: Record<string, unknown>;
  /** The optimizer step number (1-based), as PyTorch's state['step'] after incrementing. */
  step: number;
  l1: number;
  l2: number;
  /** The max norm of gradient clipping, or null. */
  clipGradNorm: number | null;
}

/**
 * One worker's part of a whole step (see worker/step.ts): its chunks (none when there are fewer
 * chunks than workers) and its slice (none when the vector has fewer blocks than workers).
 */
export interface StepTask {
  kind: 'step';
  worker: number;
  shard: ShardTask | null;
  slice: SliceRange | null;
  update: UpdateSpec;
  /** Chunks in this batch, and the batch's loss normaliser. */
  chunks: number;
  normalizer: number;
}

/** Loss sums and correct predictions of rows [start, end) of a dataset, in chunks of `microBatch` rows, without gradients. */
export interface EvalTask {
  kind: 'eval';
  dataset: SharedDataset;
  start: number;
  end: number;
  microBatch: number;
}

/** Run persistent dispatch for a while: see worker/loop.ts. Commands are step tasks without their dataset. */
export interface LoopTask {
  kind: 'loop';
  buffer: SharedArrayBuffer;
  workers: number;
  index: number;
  generation: number;
  dataset: SharedDataset;
}

export type Task = StepTask | EvalTask | LoopTask;

export interface ShardResult {
  /** Summed (unnormalised) loss of each chunk. */
  losses: number[];
  ms: number;
}

/** A worker's report of one step. */
export interface StepResult {
  /** Summed (unnormalised) loss of each of its chunks. */
  losses: number[];
  shardMs: number;
  sliceMs: number;
  /** Σ|p| and Σp² over its slice, for the penalties' share of the loss. */
  absSum: number;
  sqSum: number;
  /** False when the step was not applied (a worker failed, or the loss was not finite). */
  updated: boolean;
}

/** Per evaluation chunk of the task, in order: the main thread sums them in one fixed order. */
export interface EvalResultPart {
  lossSums: number[];
  normalizers: number[];
  correct: number;
}
