/**
 * The module Web Worker of the browser trainer: the same task handler as the piscina worker, fed
 * by messages (the setup first, then tasks, one at a time). A bundle ships this file as its own
 * script (`@loom/parallel/web-worker`) and names it with `setWorkerScript`.
 */
import { webPlatform } from '../platform/web.js';
import { installPlatform } from '../platform/platform.js';
import type { FromWebWorker, ToWebWorker } from '../platform/web-messages.js';
import { toErrorReply } from '../protocol/errors.js';
import { createTaskHandler, type TaskHandler } from './handle.js';

installPlatform(webPlatform);

interface WorkerScope {
  onmessage: ((event: { data: ToWebWorker }) => void) | null;
  postMessage(message: FromWebWorker): void;
}

const scope = globalThis as unknown as WorkerScope;
let handle: TaskHandler | null = null;

scope.onmessage = ({ data }) => {
  switch (data.kind) {
    case 'setup':
      handle = createTaskHandler(data.setup);
      return;
    case 'task': {
      const { id, task } = data;
      const run = handle ? handle(task) : Promise.reject(new Error('loom web worker: a task came before the setup'));
      run.then(
        (ok) => scope.postMessage({ id, ok }),
        (error: unknown) => scope.postMessage({ id, error: toErrorReply(error) }),
      );
      return;
    }
  }
};
