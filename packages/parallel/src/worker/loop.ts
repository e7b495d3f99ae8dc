import { Mailboxes } from '../protocol/mailbox.js';
import { DONE, GENERATION } from '../protocol/mailbox.js';
import { toErrorReply } from '../protocol/errors.js';
import type { LoopCommand, LoopReply } from '../protocol/messages.js';
import type { StepRing } from '../protocol/step-ring.js';
import { waitWhileEqual } from '../protocol/barrier.js';

/**
 * The persistent dispatch of a worker thread: instead of one piscina task per command, the thread
 * runs this loop for a whole fit, sleeping in Atomics.wait until the main thread bumps the
 * generation, then running the command in its mailbox (a run of steps, an evaluation, or exit),
 * writing its reply and counting itself done. The main thread never blocks (it waits with
 * Atomics.waitAsync on the ring's event word, which a finished command also moves), so nothing
 * a worker needs from it — messages, stdout — can deadlock.
 */
export function runLoop(
  mailbox: SharedArrayBuffer,
  workers: number,
  index: number,
  generation: number,
  ring: StepRing,
  execute: (command: LoopCommand) => unknown,
): void {
  const mail = new Mailboxes(mailbox, workers);
  let seen = generation;
  for (;;) {
    waitWhileEqual(mail.control, GENERATION, seen);
    seen = Atomics.load(mail.control, GENERATION);
    const command = mail.read(index) as LoopCommand | null;
    const exit = command?.kind === 'exit';
    let reply: LoopReply;
    try {
      reply = { ok: command && !exit ? execute(command) : null };
    } catch (error) {
      reply = { error: toErrorReply(error) };
    }
    mail.write(index, reply);
    Atomics.add(mail.control, DONE, 1);
    Atomics.notify(mail.control, DONE);
    ring.signal();
    if (exit) return;
  }
}
