/**
 * A reusable barrier among the worker threads of one step, over two Int32 words of shared memory
 * (arrival count, generation). The generation is read before arriving, so a wake-up can never be
 * missed: the last to arrive resets the count, bumps the generation and notifies; the others
 * sleep in Atomics.wait until the generation differs from the one they read. Only workers wait
 * here; the main thread never does.
 */
export function arriveAndWait(words: Int32Array, countIndex: number, generationIndex: number, parties: number): void {
  const generation = Atomics.load(words, generationIndex);
  if (Atomics.add(words, countIndex, 1) === parties - 1) {
    Atomics.store(words, countIndex, 0);
    Atomics.add(words, generationIndex, 1);
    Atomics.notify(words, generationIndex);
    return;
  }
  while (Atomics.load(words, generationIndex) === generation) Atomics.wait(words, generationIndex, generation);
}
