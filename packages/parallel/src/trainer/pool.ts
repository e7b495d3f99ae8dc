import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Task, WorkerSetup } from '../protocol/messages.js';

/** Default worker count: every core. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * The piscina pool running every task, exactly `workers` threads, none idling out (a new thread
 * would rebuild its replica). A worker thread that dies rejects its task, which rejects `fit`.
 */
export function createPool(workers: number, setup: WorkerSetup): Piscina<Task, unknown> {
  return new Piscina<Task, unknown>({
    filename: new URL('../worker/worker.js', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: Number.POSITIVE_INFINITY,
    concurrentTasksPerWorker: 1,
    workerData: setup,
  });
}
