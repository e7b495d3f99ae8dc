import type { Task, WorkerSetup } from '../protocol/messages.js';

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
  /** A file's bytes (`loadArrow` with a path). */
  readFile(path: string): Uint8Array;
  /** Writes a file through a temporary file renamed into place (`writeArrow`). */
  writeFileAtomic(path: string, bytes: Uint8Array): void;
  /** A model module given by path or package name (not a URL) turned into an importable specifier. */
  moduleUrl(path: string): string;
  /** A URL in a stack trace as the file it names (to find the model module's frames). */
  filePath(url: string): string;
}

let installed: Platform | null = null;

/** Installs the platform this realm runs on (the package's entries do, on import). */
export function installPlatform(platform: Platform): void {
  installed = platform;
}

/** The platform this realm runs on. */
export function platform(): Platform {
  if (!installed) {
    throw new Error("@loom/parallel: no platform installed; import the package through its entry ('@loom/parallel'), not a file inside it");
  }
  return installed;
}
