/** How every system's training steps are timed, so that all of them are timed alike. */
export interface TimingProtocol {
  /** Untimed steps first (compilation, allocation, caches). */
  warmupSteps: number;
  /**
   * The warm-up goes on until it has also taken this many milliseconds. V8 optimises hot
   * JavaScript and WebAssembly on background threads for a second or two after they start; with
   * 30 steps of W1 (0.12 s) those threads were still busy in the timed steps, and one worker ran
   * at half its speed with 1.7 cores of its process busy. Every system warms up alike.
   */
  warmupMs: number;
  /** Timed steps per run, at least (see `minRunMs`). */
  steps: number;
  /**
   * A fast system runs more steps per run, until a run takes about this long (within the
   * budget): 10 steps of W1 took 25 ms, and one descheduled worker moved such a run by half (one
   * point's runs: 49,624, 99,593 and 146,225 samples/s).
   */
  minRunMs: number;
  /**
   * The most batches of rows a timed run draws from. Every system draws each step's batch in a
   * new random order of these rows each epoch (Loom's sampler, `index_select` in the PyTorch peers),
   * so that every step timed includes its data; a longer run goes over them again. 32 of W1's
   * batches are 25 MB; a run of its 200 steps holding as many would be 160 MB.
   */
  timedBatches: number;
  /** Runs per point; the point reports their median. */
  repeats: number;
  /**
   * Milliseconds of timed steps a point may take: a system slower than steps·repeats in this
   * budget runs fewer steps per run (at least one), and says so in the result.
   */
  budgetMs: number;
}

/** The timed runs of one point, in samples per second, and the steps each run took. */
export interface TimedRuns {
  runs: number[];
  steps: number;
}

/**
 * Steps per run given the time of one step: `steps`, more for a fast system (a run of about
 * `minRunMs`), fewer for a slow one (within the budget), never fewer than one.
 */
export function stepsWithinBudget(p: TimingProtocol, stepMs: number): number {
  if (!(stepMs > 0)) return p.steps;
  const wanted = Math.max(p.steps, Math.ceil(p.minRunMs / stepMs));
  return Math.max(1, Math.min(wanted, Math.floor(p.budgetMs / p.repeats / stepMs)));
}

/**
 * Whether a warm-up that has run `done` steps since `startMs` (performance.now()) goes on:
 * `warmupSteps` steps, and more until `warmupMs` have passed (none when `warmupSteps` is 0).
 * src/peers/pytorch.py's `warming_up` is the same rule.
 */
export function warmingUp(p: TimingProtocol, done: number, startMs: number): boolean {
  return done < p.warmupSteps || (p.warmupSteps > 0 && performance.now() - startMs < p.warmupMs);
}

/**
 * Runs `step` (one training step of `batchSize` samples) `warmupSteps` times untimed (and more
 * until `warmupMs` have passed), then
 * `repeats` timed runs, and returns each run's samples per second.
 */
export async function timeSteps(step: () => unknown, batchSize: number, p: TimingProtocol): Promise<TimedRuns> {
  let last = 0;
  const start = performance.now();
  for (let done = 0; warmingUp(p, done, start); done++) {
    const t0 = performance.now();
    await step();
    last = performance.now() - t0;
  }
  const steps = stepsWithinBudget(p, last);
  const runs: number[] = [];
  for (let r = 0; r < p.repeats; r++) {
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await step();
    runs.push((steps * batchSize * 1000) / (performance.now() - t0));
  }
  return { runs, steps };
}
