/**
 * Node's platform: node:fs, file paths, MPI, and the pool it is given (piscina's, from
 * trainer/pool.ts: the main entry passes it; a worker thread, which starts no pool and may be
 * bundled with a piscina that only gives workerData, passes none). Only the Node entries
 * (src/index.ts, worker/worker.ts) import this file.
 */
import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
    readFile: (path) => readShared(path),
    readFileRange(path, start, length) {
      return withFile(path, (fd, size) => {
        const bytes = new Uint8Array(Math.max(0, Math.min(length, size - start)));
        readFully(fd, bytes, start);
        return { bytes, size };
      });
    },
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

/**
 * A whole file read into a SharedArrayBuffer. Node's readFileSync would give a private buffer that
 * lives on as garbage once its rows are copied out; reading into shared memory lets `loadArrow`
 * keep a float32 list column where it lies, so a dataset costs its file's size once.
 */
function readShared(path: string): Uint8Array {
  return withFile(path, (fd, size) => {
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    readFully(fd, bytes, 0);
    return bytes;
  });
}

function withFile<T>(path: string, read: (fd: number, size: number) => T): T {
  const fd = openSync(path, 'r');
  try {
    return read(fd, fstatSync(fd).size);
  } finally {
    closeSync(fd);
  }
}

function readFully(fd: number, bytes: Uint8Array, position: number): void {
  for (let done = 0; done < bytes.length;) {
    const n = readSync(fd, bytes, done, bytes.length - done, position + done);
    if (n === 0) throw new Error(`the file ended after ${position + done} bytes while it was being read (did it shrink?)`);
    done += n;
  }
}
