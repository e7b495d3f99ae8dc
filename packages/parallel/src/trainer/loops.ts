import type { Piscina } from 'piscina';
import type { SharedDataset } from '../data/index.js';
import { DONE, GENERATION, Mailboxes } from '../protocol/mailbox.js';
import type { LoopCommand, LoopReply, Task } from '../protocol/messages.js';
import type { WorkerTagged } from './step-error.js';

/** Atomics.waitAsync (Node 16+), which TypeScript's ES2022 lib does not declare. */
export const waitAsync = (
  Atomics as unknown as {
    waitAsync(array: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

const errorClasses: Record<string, ErrorConstructor> = { TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError };

/** A worker error as an Error of the same built-in class, carrying the worker's own stack and index. */
function workerError(reply: Extract<LoopReply, { error: unknown }>, worker: number): WorkerTagged {
  const error: WorkerTagged = new (errorClasses[reply.error.name] ?? Error)(reply.error.message);
  if (reply.error.stack) error.stack = reply.error.stack;
  error.worker = worker;
  return error;
}

/**
 * Persistent loops on `workers` threads of the pool for one epoch (see worker/loop.ts): the
 * main thread posts one command per worker into the shared mailboxes and bumps the generation;
 * it learns that they are done from the DONE count, never blocking.
 */
export class WorkerLoops {
  private readonly mail: Mailboxes;
  private readonly loops: Promise<unknown>[];
  /** Rejects when a loop task fails (its worker thread died). */
  readonly failed: Promise<never>;
  private closed = false;

  constructor(
    pool: Piscina<Task, unknown>,
    private readonly workers: number,
    datasets: SharedDataset[],
  ) {
    this.mail = Mailboxes.create(workers);
    const generation = Atomics.load(this.mail.control, GENERATION);
    this.loops = Array.from({ length: workers }, (_, index) =>
      pool.run({ kind: 'loop', mailbox: this.mail.buffer, workers, index, generation, datasets }),
    );
    // A loop rejects only when its thread fails; its normal end (on close) must not count.
    this.failed = Promise.race(this.loops.map((loop) => loop.then(() => new Promise<never>(() => {}))));
    this.failed.catch(() => {});
  }

  /** Starts one command per worker. */
  post(commands: readonly LoopCommand[]): void {
    if (commands.length !== this.workers) throw new Error(`${commands.length} commands for ${this.workers} workers`);
    commands.forEach((c, w) => this.mail.write(w, c));
    const { control } = this.mail;
    Atomics.store(control, DONE, 0);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
  }

  /** Whether every worker is done with the posted commands. */
  get done(): boolean {
    return Atomics.load(this.mail.control, DONE) >= this.workers;
  }

  /** The replies to the posted commands (once done); a worker's error is thrown as itself. */
  replies<R>(): R[] {
    const replies = Array.from({ length: this.workers }, (_, w) => this.mail.read(w) as LoopReply);
    replies.forEach((reply, w) => {
      if ('error' in reply) throw workerError(reply, w);
    });
    return replies.map((r) => (r as { ok: R }).ok);
  }

  /** Posts the commands and waits for their replies. */
  async round<R>(commands: readonly LoopCommand[]): Promise<R[]> {
    this.post(commands);
    const { control } = this.mail;
    for (;;) {
      const done = Atomics.load(control, DONE);
      if (done >= this.workers) break;
      const wait = waitAsync(control, DONE, done);
      if (wait.async) await Promise.race([wait.value, this.failed]);
    }
    return this.replies<R>();
  }

  /** Ends every loop (their piscina tasks resolve), freeing the threads for ordinary tasks. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.round(Array.from({ length: this.workers }, () => ({ kind: 'exit' }) as const));
    await Promise.all(this.loops);
  }
}
