import type { Piscina } from 'piscina';
import type { SharedDataset } from '../data/index.js';
import type { LoopReply } from '../worker/loop.js';
import { DONE, GENERATION, Mailboxes } from '../worker/mailbox.js';
import type { Task } from '../worker/messages.js';
import type { WorkerTagged } from './step-error.js';

/**
 * How a step's rounds of tasks reach the workers. The math (shard, slice) is the same either way;
 * only the synchronisation differs, so the benchmark can pick:
 * - 'tasks': one piscina task per worker and step, through message passing;
 * - 'persistent': one long piscina task per worker for the epoch, woken per round by an Atomics
 *   generation counter, with commands and results in shared mailboxes.
 */
export type DispatchMode = 'tasks' | 'persistent';

/** Runs one round: one task per worker (a step's tasks meet at barriers), results in task order. */
export interface Dispatch {
  round<R>(tasks: readonly Task[]): Promise<R[]>;
  close(): Promise<void>;
}

/** Atomics.waitAsync (Node 16+), which TypeScript's ES2022 lib does not declare. */
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string };
}).waitAsync;

const errorClasses: Record<string, ErrorConstructor> = { TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError };

/** A worker error as an Error of the same built-in class, carrying the worker's own stack and index. */
function workerError(reply: Extract<LoopReply, { error: unknown }>, worker: number): WorkerTagged {
  const error: WorkerTagged = new (errorClasses[reply.error.name] ?? Error)(reply.error.message);
  if (reply.error.stack) error.stack = reply.error.stack;
  error.worker = worker;
  return error;
}

/** Task dispatch: every task is a piscina task. */
export function taskDispatch(run: <R>(task: Task) => Promise<R>): Dispatch {
  const tagged = <R>(task: Task, worker: number): Promise<R> =>
    run<R>(task).catch((error: unknown) => {
      if (error instanceof Error) (error as WorkerTagged).worker ??= worker;
      throw error;
    });
  return {
    round: <R>(tasks: readonly Task[]) => Promise.all(tasks.map((t, w) => tagged<R>(t, w))),
    close: async () => {},
  };
}

/** Persistent dispatch over `workers` threads of the pool, for rounds of the given dataset. */
export class LoopDispatch implements Dispatch {
  private readonly mail: Mailboxes;
  private readonly loops: Promise<unknown>[];
  /** Rejects when a loop task fails (its worker thread died). */
  private readonly failed: Promise<never>;
  private closed = false;

  constructor(
    pool: Piscina<Task, unknown>,
    private readonly workers: number,
    dataset: SharedDataset,
  ) {
    this.mail = Mailboxes.create(workers);
    const generation = Atomics.load(this.mail.control, GENERATION);
    this.loops = Array.from({ length: workers }, (_, index) =>
      pool.run({ kind: 'loop', buffer: this.mail.buffer, workers, index, generation, dataset }),
    );
    // A loop rejects only when its thread fails; its normal end (on close) must not count.
    this.failed = Promise.race(this.loops.map((loop) => loop.then(() => new Promise<never>(() => {}))));
    this.failed.catch(() => {});
  }

  async round<R>(tasks: readonly Task[]): Promise<R[]> {
    if (tasks.length > this.workers) throw new Error(`round of ${tasks.length} tasks for ${this.workers} workers`);
    // The loop task already holds the dataset: commands leave its descriptor out.
    for (let w = 0; w < this.workers; w++) {
      const task = tasks[w];
      this.mail.write(w, task?.kind === 'step' && task.shard ? { ...task, shard: { ...task.shard, dataset: null } } : (task ?? null));
    }
    const { control } = this.mail;
    Atomics.store(control, DONE, 0);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
    await Promise.race([this.allDone(), this.failed]);
    const replies = Array.from({ length: tasks.length }, (_, w) => this.mail.read(w) as LoopReply);
    replies.forEach((reply, w) => {
      if ('error' in reply) throw workerError(reply, w);
    });
    return replies.map((r) => (r as { ok: R }).ok);
  }

  private async allDone(): Promise<void> {
    const { control } = this.mail;
    for (;;) {
      const done = Atomics.load(control, DONE);
      if (done >= this.workers) return;
      const wait = waitAsync(control, DONE, done);
      if (wait.async) await wait.value;
    }
  }

  /** Ends every loop (their piscina tasks resolve), freeing the threads for ordinary tasks. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.round(Array.from({ length: this.workers }, () => ({ kind: 'exit' }) as unknown as Task));
    await Promise.all(this.loops);
  }
}
