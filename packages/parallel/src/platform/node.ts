/**
 * Node's platform: node:fs, file paths, MPI, and the pool it is given (piscina's, from
 * trainer/pool.ts: the main entry passes it; a worker thread, which starts no pool and may be
 * bundled with a piscina that only gives workerData, passes none). Only the Node entries
 * (src/index.ts, worker/worker.ts) import this file.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkRanksAgree, evalShare, gatherEval, gatherOptimizerState, processWorld } from '../trainer/ranks.js';
import type { Platform } from './platform.js';

export function nodePlatform(createPool: Platform['createPool']): Platform {
  return {
    name: 'node',
    defaultWorkers: () => availableParallelism(),
    createPool,
    readFile: (path) => readFileSync(path),
    writeFileAtomic(path, bytes) {
      const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
      try {
        writeFileSync(temporary, bytes);
        renameSync(temporary, path);
      } catch (error) {
        rmSync(temporary, { force: true });
        throw error;
      }
    },
    // A module path as given (relative to the working directory) turned into an importable URL.
    moduleUrl(path) {
      if (path.startsWith('.') || isAbsolute(path)) return pathToFileURL(resolve(path)).href;
      return path; // a package name
    },
    filePath: (url) => (url.startsWith('file:') ? fileURLToPath(url) : url),
    mpi: { processWorld, checkRanksAgree, evalShare, gatherEval, gatherOptimizerState },
  };
}
