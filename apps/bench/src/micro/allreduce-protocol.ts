import type { MemoryContext } from '@loom/core';

/** The shared `WebAssembly.Memory` every Loom thread works in. */
export type LoomMemory = MemoryContext['memory']['memory'];

/** What each all-reduce worker thread gets at start. */
export interface AllReduceWorkerData {
  memory: LoomMemory;
  /** The main thread's compiled kernel module (null when the TypeScript kernels run). */
  module: unknown;
  /** This worker's own region of the memory for kernel scratch space. */
  regionBase: number;
  regionBytes: number;
  /** Byte offsets of the destination and of each slot, every one `length` float32 values. */
  dst: number;
  slots: number[];
  length: number;
}

/** A request: sum elements [start, end) of the slots into the destination, `reps` times. */
export interface AllReduceRequest {
  start: number;
  end: number;
  reps: number;
}
