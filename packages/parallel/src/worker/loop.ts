import { DONE, GENERATION, Mailboxes } from './mailbox.js';

/** A worker's reply to one round: its result, or the error it threw (class name, message and stack). */
export type LoopReply = { ok: unknown } | { error: { name: string; message: string; stack: string | undefined } };

/**
 * The persistent dispatch of a worker thread: instead of one piscina task per phase, the thread
 * runs this loop for a whole epoch, sleeping in Atomics.wait until the main thread bumps the
 * generation, then running the command in its mailbox and counting itself done. Commands are
 * the same step tasks as in task dispatch, so the arithmetic is shared. The main thread
 * never blocks (it waits with Atomics.waitAsync), so nothing a worker needs from it — messages,
 * stdout — can deadlock.
 */
export function runLoop(
  buffer: SharedArrayBuffer,
  workers: number,
  index: number,
  generation: number,
  execute: (command: unknown) => unknown,
): void {
  const mail = new Mailboxes(buffer, workers);
  let seen = generation;
  for (;;) {
    Atomics.wait(mail.control, GENERATION, seen);
    seen = Atomics.load(mail.control, GENERATION);
    const command = mail.read(index) as { kind?: string } | null;
    const exit = command?.kind === 'exit';
    let reply: LoopReply;
    try {
      reply = { ok: command && !exit ? execute(command) : null };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      reply = { error: { name: e.name, message: e.message, stack: e.stack } };
    }
    mail.write(index, reply);
    Atomics.add(mail.control, DONE, 1);
    Atomics.notify(mail.control, DONE);
    if (exit) return;
  }
}
