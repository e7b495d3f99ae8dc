import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.js';

/** What a lock file holds. */
interface LockInfo {
  pid: number;
  host: string;
  started: string;
}

/** The lock file of a run directory: `runs/NAME.lock`, beside it (so it also guards a run not yet created). */
export function lockPath(runDir: string): string {
  return join(dirname(runDir), `${basename(runDir)}.lock`);
}

/** Whether a process of this machine is alive (EPERM: alive, someone else's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the run directory's exclusive lock (O_EXCL create of its lock file, holding pid, host and
 * start time), or throws a UsageError naming the lock and the process holding it. A lock left by a
 * process of this host that is gone is stale and taken over. Returns the release function, which
 * also runs on process exit.
 */
export function acquireRunLock(runDir: string): () => void {
  const path = lockPath(runDir);
  // `--out runs/one` in a folder without `runs` yet: the lock lives beside the run, so its parent
  // comes first (checkOutDir has already refused pseudo file systems and unwritable places).
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new UsageError(
      `cannot create ${dirname(path)}, the parent of run ${runDir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new UsageError(
          `cannot create the lock ${path} of run ${runDir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
      }
      const holder = readLock(path);
      if (holder && (holder.host !== hostname() || processAlive(holder.pid))) {
        throw new UsageError(
          `${runDir} is in use by another loom process (pid ${holder.pid} on ${holder.host}, since ${holder.started}; lock ${path}); wait for it to end, or choose another --out`,
        );
      }
      // Stale (its process is gone) or unreadable (a process killed while writing it): take it over.
      rmSync(path, { force: true });
      continue;
    }
    const info: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
    writeSync(fd, `${JSON.stringify(info)}\n`);
    closeSync(fd);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      process.off('exit', release);
      const holder = readLock(path);
      if (holder?.pid === process.pid) rmSync(path, { force: true });
    };
    process.on('exit', release);
    return release;
  }
  throw new UsageError(`cannot take the lock ${path} of run ${runDir}: another process keeps taking it`);
}

function readLock(path: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
    return typeof info.pid === 'number' ? info : null;
  } catch {
    return null;
  }
}
