/**
 * Node's platform: worker_threads through piscina, node:fs, file paths. Only the Node entries
 * (src/index.ts, worker/worker.ts) import this file.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createPool } from '../trainer/pool.js';
import { checkRanksAgree, evalShare, gatherEval, gatherOptimizerState, processWorld } from '../trainer/ranks.js';
import type { Platform } from './platform.js';

export const nodePlatform: Platform = {
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
