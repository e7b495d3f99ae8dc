import type { MpiWorld } from '../distributed/world.js';
import type { Tensor } from '@loom/core';
import type { EvalResultPart, Task, WorkerSetup } from '../protocol/messages.js';
import type { SharedBuffers } from '../protocol/shared-buffers.js';
import type { ResolvedOptions } from '../trainer/validate.js';

/**
 * The threads a trainer runs on: exactly `workers` of them, each running one task at a time,
 * none idling out (a new thread would rebuild its replica). A thread that dies rejects its task.
 */
export interface ThreadPool {
  run(task: Task): Promise<unknown>;
  /** Stops every thread; tasks still pending reject. */
  destroy(): Promise<void>;
}

/**
 * What differs between Node and a browser: the thread primitive (worker_threads through piscina,
 * or module Web Workers), the default worker count, files, and how a model module is named.
 * Each entry of the package installs its own (src/index.ts Node's, src/browser.ts the browser's),
 * and so does each worker entry; everything else is shared.
 */
export interface Platform {
  readonly name: 'node' | 'browser';
  /** Every core. */
  defaultWorkers(): number;
  createPool(workers: number, setup: WorkerSetup): ThreadPool;
  /**
   * A file's bytes (`loadArrow` with a path), in a SharedArrayBuffer where the platform has one:
   * a float32 list column is then used in place, so the dataset is the file's only copy.
   */
  readFile(path: string): Uint8Array;
  /** `length` bytes of a file from byte `start` (fewer at its end), and the file's size: the head and tail of an Arrow file without reading it all. */
  readFileRange(path: string, start: number, length: number): { bytes: Uint8Array; size: number };
  /** Writes a file through a temporary file renamed into place (`writeArrow`). */
  writeFileAtomic(path: string, bytes: Uint8Array): void;
  /** A model module given by path or package name (not a URL) turned into an importable specifier. */
  moduleUrl(path: string): string;
  /** A URL in a stack trace as the file it names (to find the model module's frames). */
  filePath(url: string): string;
  /** The main thread's collectives across MPI ranks (trainer/ranks.ts), or null where there are none (a browser). */
  readonly mpi: MpiRanks | null;
}

/** What the trainer's main thread does across MPI ranks (see trainer/ranks.ts; every call collective). */
export interface MpiRanks {
  processWorld(library: string | undefined): Promise<MpiWorld>;
  checkRanksAgree(world: MpiWorld, options: ResolvedOptions, paramLength: number): Promise<void>;
  evalShare(chunks: number, ranks: number, rank: number): [number, number];
  gatherEval(world: MpiWorld, chunks: number, own: EvalResultPart): Promise<EvalResultPart>;
  gatherOptimizerState(world: MpiWorld, buffers: SharedBuffers, workers: number): Promise<Record<string, Tensor>>;
}

let installed: Platform | null = null;

/** Installs the platform this realm runs on (the package's entries do, on import). */
export function installPlatform(platform: Platform): void {
  installed = platform;
}

/** The MPI collectives of this platform; throws where there are none. */
export function mpiRanks(): MpiRanks {
  const { mpi, name } = platform();
  if (!mpi)
    throw new Error(`DataParallelTrainer: distributed: 'mpi' needs MPI ranks, which are processes; this platform (${name}) has none`);
  return mpi;
}

/** The platform this realm runs on. */
export function platform(): Platform {
  if (!installed) {
    throw new Error("@loom/parallel: no platform installed; import the package through its entry ('@loom/parallel'), not a file inside it");
  }
  return installed;
}
