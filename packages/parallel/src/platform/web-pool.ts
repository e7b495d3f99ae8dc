import { fromErrorReply } from '../protocol/errors.js';
import type { Task, WorkerSetup } from '../protocol/messages.js';
import type { ThreadPool } from './platform.js';
import type { FromWebWorker, ToWebWorker } from './web-messages.js';

/** The parts of the browser's Worker this pool uses (the package compiles without the DOM library). */
interface WebWorker {
  postMessage(message: ToWebWorker): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (event: { data: FromWebWorker }) => void): void;
  addEventListener(
    type: 'error' | 'messageerror',
    listener: (event: { message?: string; filename?: string; lineno?: number }) => void,
  ): void;
}

type WebWorkerConstructor = new (script: string | URL, options: { type: 'module'; name: string }) => WebWorker;

interface Pending {
  id: number;
  task: Task;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * Module Web Workers over the page's shared memory, as piscina's pool in Node: exactly `workers`
 * of them, each running one task at a time, tasks queued in order for the next idle one. A worker
 * whose script fails (an uncaught error, a message that cannot be read) breaks the pool: its task,
 * every queued one and every later one reject with that error, and the trainer tears down.
 */
export class WebWorkerPool implements ThreadPool {
  private readonly idle: WebWorker[] = [];
  private readonly all: WebWorker[] = [];
  private readonly queue: Pending[] = [];
  private readonly busy = new Map<WebWorker, Pending>();
  private broken: Error | null = null;
  private nextId = 0;

  constructor(workers: number, setup: WorkerSetup, script: string | URL) {
    const Worker = (globalThis as unknown as { Worker?: WebWorkerConstructor }).Worker;
    if (!Worker) throw new Error('WebWorkerPool: this runtime has no Web Workers (globalThis.Worker)');
    if (typeof SharedArrayBuffer === 'undefined' || !(globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated) {
      throw new Error(
        'WebWorkerPool: shared memory needs a cross-origin isolated page; serve it with the headers ' +
          "'Cross-Origin-Opener-Policy: same-origin' and 'Cross-Origin-Embedder-Policy: require-corp'",
      );
    }
    for (let i = 0; i < workers; i++) {
      const worker = new Worker(script, { type: 'module', name: `loom-worker-${i}` });
      worker.addEventListener('message', ({ data }) => this.settle(worker, data));
      const fail = (what: string) => (event: { message?: string; filename?: string; lineno?: number }) => {
        const where = event.filename ? ` (${event.filename}:${event.lineno ?? 0})` : '';
        this.break(
          new Error(`loom web worker ${i} ${what}: ${event.message || 'no message (did its script load? see the console)'}${where}`),
        );
      };
      worker.addEventListener('error', fail('failed'));
      worker.addEventListener('messageerror', fail('could not read a message'));
      worker.postMessage({ kind: 'setup', setup });
      this.all.push(worker);
      this.idle.push(worker);
    }
  }

  run(task: Task): Promise<unknown> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.shift()!;
      const pending = this.queue.shift()!;
      this.busy.set(worker, pending);
      worker.postMessage({ kind: 'task', id: pending.id, task: pending.task });
    }
  }

  private settle(worker: WebWorker, reply: FromWebWorker): void {
    const pending = this.busy.get(worker);
    if (!pending || pending.id !== reply.id) {
      this.break(new Error(`loom web worker: a reply to task ${reply.id}, which it was not running`));
      return;
    }
    this.busy.delete(worker);
    this.idle.push(worker);
    if ('error' in reply) pending.reject(fromErrorReply(reply.error));
    else pending.resolve(reply.ok);
    this.dispatch();
  }

  private break(error: Error): void {
    if (this.broken) return;
    this.broken = error;
    for (const pending of [...this.busy.values(), ...this.queue]) pending.reject(error);
    this.busy.clear();
    this.queue.length = 0;
    for (const worker of this.all) worker.terminate();
  }

  async destroy(): Promise<void> {
    this.break(new Error('WebWorkerPool: the pool was destroyed'));
  }
}
