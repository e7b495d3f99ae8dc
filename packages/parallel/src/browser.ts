/**
 * The browser entry of @loom/parallel (the package's `browser` and `default` export conditions):
 * the same datasets and the same trainer, on module Web Workers over the page's shared memory,
 * and the comlink glue that lets a page drive a trainer running in a worker. Nothing here imports
 * `node:*`; the test browser-entry.test.ts bundles this file for the browser to keep it so.
 */
import { installPlatform } from './platform/platform.js';
import { webPlatform } from './platform/web.js';

installPlatform(webPlatform);

export * from './common.js';
export { setWorkerScript } from './platform/web.js';
export { exposeTrainer, type TrainerWorkerApi, type RemoteFitOptions, type PortableState } from './browser/expose.js';
