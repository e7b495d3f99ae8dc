/**
 * What a bundled piscina task module gets for `import { workerData } from 'piscina'`. Piscina
 * hands its `workerData` option to the worker thread as Node's own workerData; a bundle holds its
 * own copy of piscina, which piscina's worker never initialised, so it must read Node's directly.
 */
import { isMainThread, workerData } from 'node:worker_threads';

export { workerData };
export const isWorkerThread = !isMainThread;
