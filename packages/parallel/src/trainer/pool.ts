import { Piscina } from 'piscina';
import type { Task, WorkerSetup } from '../protocol/messages.js';
import type { ThreadPool } from '../platform/platform.js';

/**
 * The piscina pool running every task in Node, exactly `workers` threads, none idling out (a new
 * thread would rebuild its replica). A worker thread that dies rejects its task, which rejects `fit`.
 */
export function createPool(workers: number, setup: WorkerSetup): ThreadPool {
  return new Piscina<Task, unknown>({
    filename: new URL('../worker/worker.js', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: Number.POSITIVE_INFINITY,
    concurrentTasksPerWorker: 1,
    workerData: setup,
  });
}
