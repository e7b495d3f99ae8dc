/**
 * Loads of a word spent spinning before a waiting thread sleeps. A step's workers usually arrive
 * within microseconds of each other, and waking a thread from Atomics.wait costs tens of
 * microseconds, so a short spin saves that; the bound keeps a thread whose partner was
 * descheduled (a busy machine) from burning its core for long.
 */
export const SPINS = 4000;

/**
 * Waits while words[index] === value: spins up to SPINS loads, then sleeps in Atomics.wait.
 * Whoever changes the word must Atomics.notify it. It returns only once the word differs: a
 * wake-up alone proves nothing, since a thread descheduled between changing the word and
 * notifying may notify a waiter that already went past that change and waits on the next one
 * (every wait between threads in this package goes through here, or loops the same way).
 */
export function waitWhileEqual(words: Int32Array, index: number, value: number): void {
  for (let i = 0; i < SPINS; i++) if (Atomics.load(words, index) !== value) return;
  while (Atomics.load(words, index) === value) Atomics.wait(words, index, value);
}

/**
 * A reusable barrier among the worker threads of one step, over two Int32 words of shared memory
 * (arrival count, generation). The generation is read before arriving, so a wake-up can never be
 * missed: the last to arrive runs `lastArrived` (while every other party is still held, so what it
 * writes is what all of them read after the barrier), resets the count, bumps the generation and
 * notifies; the others spin briefly, then sleep until the generation differs from the one they
 * read. Only workers wait here; the main thread never does.
 */
export function arriveAndWait(
  words: Int32Array,
  countIndex: number,
  generationIndex: number,
  parties: number,
  lastArrived?: () => void,
): void {
  const generation = Atomics.load(words, generationIndex);
  if (Atomics.add(words, countIndex, 1) === parties - 1) {
    lastArrived?.();
    Atomics.store(words, countIndex, 0);
    Atomics.add(words, generationIndex, 1);
    Atomics.notify(words, generationIndex);
    return;
  }
  waitWhileEqual(words, generationIndex, generation);
}
