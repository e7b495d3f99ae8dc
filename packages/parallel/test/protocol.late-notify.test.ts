import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { GENERATION, DONE, Mailboxes } from '../src/protocol/mailbox.js';
import { StepRing } from '../src/protocol/step-ring.js';

// A thread that bumps a shared word and then notifies can be descheduled between the two: its
// notify then reaches a waiter that already saw the change, acted on it and waits for the next
// one. Taking that wake-up for a change ran an MPI collective twice on one rank (every rank hung:
// trainer.mpi-layouts, about one run in 150 under load) and could run a loop command twice. These
// tests make the late notify happen on purpose, in a real thread.

const dist = (path: string): string => new URL(`../dist/${path}`, import.meta.url).href;
const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let worker: Worker | null = null;
afterEach(async () => {
  await worker?.terminate();
  worker = null;
});

/** Runs `body` (CommonJS, with `workerData` and the dist module at `url` as `m`) in a new thread. */
function start(url: string, body: string, workerData: unknown): Promise<unknown> {
  const code = `const { workerData, parentPort } = require('node:worker_threads');
    import(${JSON.stringify(url)}).then((m) => { ${body} }).catch((e) => parentPort.postMessage({ error: e.message }));`;
  worker = new Worker(code, { eval: true, workerData });
  return new Promise((resolve, reject) => {
    worker!.once('message', resolve);
    worker!.once('error', reject);
  });
}

/** Notifies `index` once the thread sleeps on it (a notify then wakes exactly one waiter); returns how many it woke. */
async function notifyWhenAsleep(words: Int32Array, index: number): Promise<number> {
  for (let i = 0; i < 200; i++) {
    await settle(10);
    const woken = Atomics.notify(words, index);
    if (woken > 0) return woken;
  }
  return 0;
}

describe('waits between threads ignore a late notify', () => {
  it('waitWhileEqual returns only once the word differs, not on a notify alone', async () => {
    const words = new Int32Array(new SharedArrayBuffer(8));
    const returned = start(
      dist('protocol/barrier.js'),
      `const words = new Int32Array(workerData);
       m.waitWhileEqual(words, 0, 0);
       Atomics.store(words, 1, 1);
       parentPort.postMessage(Atomics.load(words, 0));`,
      words.buffer,
    );
    // The thread slept and was woken: the word is unchanged, so it must sleep again.
    expect(await notifyWhenAsleep(words, 0)).toBe(1);
    await settle(100);
    expect(Atomics.load(words, 1)).toBe(0);
    Atomics.store(words, 0, 5);
    Atomics.notify(words, 0);
    expect(await returned).toBe(5);
  });

  it('a worker loop runs a command once, though the notify that announced it arrives after it ran', async () => {
    const mail = Mailboxes.create(1);
    const ring = StepRing.create(4, 1);
    const runs = new Int32Array(new SharedArrayBuffer(4));
    const generation = Atomics.load(mail.control, GENERATION);
    // The main thread's post, cut short before its notify: the command is written, the generation bumped.
    mail.write(0, { kind: 'probe' });
    Atomics.store(mail.control, DONE, 0);
    Atomics.add(mail.control, GENERATION, 1);
    const ended = start(
      dist('worker/loop.js'),
      `import(${JSON.stringify(dist('protocol/step-ring.js'))}).then(({ StepRing }) => {
           const { mailbox, ring, runs, generation } = workerData;
           const counts = new Int32Array(runs);
           m.runLoop(mailbox, 1, 0, generation, new StepRing(ring, 4, 1), (command) => {
             Atomics.add(counts, 0, 1);
             return command.kind;
           });
           parentPort.postMessage('exited');
         });`,
      { mailbox: mail.buffer, ring: ring.buffer, runs: runs.buffer, generation },
    );
    // The loop saw the new generation without a notify and ran the command once.
    while (Atomics.load(mail.control, DONE) < 1) await settle(5);
    expect(Atomics.load(runs, 0)).toBe(1);
    expect(mail.read(0)).toEqual({ ok: 'probe' });
    // Now the late notify: it wakes the loop, which must go back to sleep without running anything.
    expect(await notifyWhenAsleep(mail.control, GENERATION)).toBe(1);
    await settle(100);
    expect(Atomics.load(runs, 0)).toBe(1);
    expect(Atomics.load(mail.control, DONE)).toBe(1);
    // A real round still runs: the exit command ends the loop.
    mail.write(0, { kind: 'exit' });
    Atomics.store(mail.control, DONE, 0);
    Atomics.add(mail.control, GENERATION, 1);
    Atomics.notify(mail.control, GENERATION);
    expect(await ended).toBe('exited');
    expect(Atomics.load(runs, 0)).toBe(1);
  });
});
