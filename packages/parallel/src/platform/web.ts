/**
 * The browser's platform: module Web Workers over the page's shared memory, no file system.
 * Imported by the browser entry (src/browser.ts) and the Web Worker entry only.
 */
import type { Platform } from './platform.js';
import { WebWorkerPool } from './web-pool.js';

// The worker script beside this package's files; a bundle that inlines the package names its
// own copy with setWorkerScript.
let workerScript: string | URL = new URL('../worker/web-worker.js', import.meta.url);

/**
 * Where the trainer's Web Workers load their script from: a bundle of `@loom/parallel/web-worker`
 * (by default, the file inside the installed package, which unbundled pages and bundlers that
 * follow `new URL('…', import.meta.url)` find on their own).
 */
export function setWorkerScript(script: string | URL): void {
  workerScript = script;
}

function noFiles(what: string): never {
  throw new Error(
    `${what} needs a file system, which a browser does not give; pass bytes instead (fetch(url).then((r) => r.arrayBuffer()))`,
  );
}

export const webPlatform: Platform = {
  name: 'browser',
  defaultWorkers: () => (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1,
  createPool: (workers, setup) => new WebWorkerPool(workers, setup, workerScript),
  readFile: (path) => noFiles(`reading ${path}`),
  readFileRange: (path) => noFiles(`reading ${path}`),
  writeFileAtomic: (path) => noFiles(`writing ${path}`),
  moduleUrl(path) {
    if (path.startsWith('.') || path.startsWith('/')) {
      throw new Error(`model module '${path}': in a browser name it by an absolute URL, e.g. new URL('${path}', import.meta.url).href`);
    }
    return path; // a bare specifier, for an import map
  },
  filePath: (url) => url,
  mpi: null,
};
