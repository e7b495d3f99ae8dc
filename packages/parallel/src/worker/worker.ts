/** The piscina worker (Node): the task handler over piscina's workerData. */
import { workerData } from 'piscina';
import { nodePlatform } from '../platform/node.js';
import { installPlatform } from '../platform/platform.js';
import type { WorkerSetup } from '../protocol/messages.js';
import { createTaskHandler } from './handle.js';

installPlatform(
  nodePlatform(() => {
    throw new Error('loom worker: a worker thread starts no pool of its own');
  }),
);

/** Piscina calls this for every task. */
export default createTaskHandler(workerData as WorkerSetup);
