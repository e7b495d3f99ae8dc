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
  /** The compiled WebAssembly kernel module, or null where it is unavailable. */
  wasmModule: unknown;
  model: ModelSpec;
  loss: NamedSpec;
  seed: number;
}

/** Gradients of chunks [chunkStart, chunkEnd) of the current global batch into their slots. */
export interface ShardTask {
  kind: 'shard';
  dataset: SharedDataset;
  step: number;
  batchSize: number;
  microBatch: number;
  chunkStart: number;
  chunkEnd: number;
  /** The batch-wide divisor of summed losses (see @loom/losses lossNormalizer). */
  normalizer: number;
}

/** Reduce the gradient slots over [start, end) and apply the optimizer there. */
export interface SliceTask {
  kind: 'slice';
  start: number;
  end: number;
  slotCount: number;
  optimizer: string;
  hyper: Record<string, unknown>;
  /** The optimizer step number (1-based), as PyTorch's state['step'] after incrementing. */
  step: number;
  l1: number;
  l2: number;
  /** Multiplier of the reduced gradient (gradient clipping), 1 when not clipping. */
  gradScale: number;
  /**
   * 'reduce-update' does all at once; with gradient clipping, 'reduce' runs first (returning the
   * slice's Σg²) and 'update' after, once the global norm is known.
   */
  phase: 'reduce-update' | 'reduce' | 'update';
}

/** Loss sums and correct predictions of rows [start, end) of a dataset, in chunks of `microBatch` rows, without gradients. */
export interface EvalTask {
  kind: 'eval';
  dataset: SharedDataset;
  start: number;
  end: number;
  microBatch: number;
}

/** Run persistent dispatch for a while: see worker/loop.ts. Commands are shard/slice tasks without their dataset. */
export interface LoopTask {
  kind: 'loop';
  buffer: SharedArrayBuffer;
  workers: number;
  index: number;
  generation: number;
  dataset: SharedDataset;
}

export type Task = ShardTask | SliceTask | EvalTask | LoopTask;

export interface ShardResult {
  /** Summed (unnormalised) loss of each chunk. */
  losses: number[];
  ms: number;
}

export interface SliceResult {
  /** Σ g² of the reduced gradient slice (before scaling) and the penalty terms Σ|p|, Σp². */
  sumSquares: number;
  absSum: number;
  sqSum: number;
  ms: number;
}

/** Per evaluation chunk of the task, in order: the main thread sums them in one fixed order. */
export interface EvalResultPart {
  lossSums: number[];
  normalizers: number[];
  correct: number;
}
