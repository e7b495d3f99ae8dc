import type { RunResult, RunTask } from '../protocol/messages.js';
import type { StepBlock } from '../protocol/step-block.js';
import { EVENTS, type PublishedStep, type StepRing } from '../protocol/step-ring.js';
import { waitAsync, type WorkerLoops } from './loops.js';
import type { StepWatchdog } from './watchdog.js';

/** The workers' replies, and what `onStep` threw if it did (the run was then asked to stop). */
export interface DrivenRun {
  results: RunResult[];
  onStepError: { error: unknown } | null;
}

/**
 * Reads every published step from `from` on, in order, handing each to `onStep` and then marking
 * it consumed (which lets a gated run commit its next step). If `onStep` throws, the workers are
 * asked to stop and the first error is kept. Returns the next unread index; `progress.at` becomes
 * the last read step's publication time (this thread's clock), which the watchdog counts from.
 */
function drain(
  ring: StepRing,
  block: StepBlock,
  from: number,
  onStep: (step: PublishedStep) => void,
  run: { onStepError: { error: unknown } | null },
  progress: { at: number } = { at: 0 },
): number {
  let k = from;
  for (const published = ring.published; k < published;) {
    progress.at = ring.publishedAt(k);
    try {
      onStep(ring.read(k));
    } catch (error) {
      block.requestStop();
      run.onStepError ??= { error };
    }
    k++;
    ring.consume(k);
  }
  return k;
}

/** Resolves after `ms` (a timer the caller clears), or never when there is no limit. */
function expiry(ms: number | null): { promise: Promise<'expired'>; clear(): void } {
  if (ms === null) return { promise: new Promise(() => {}), clear: () => {} };
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), Math.max(0, ms));
  });
  return { promise, clear: () => clearTimeout(timer) };
}

/**
 * One run of steps on persistent loops: the main thread posts one command per worker, then only
 * reads the ring as the workers publish, woken through Atomics.waitAsync on its event word (which
 * moves every few published steps and when a worker ends its command), so it never blocks and acts on nothing but what the
 * workers report, a stop request, a thread's death, or the watchdog (no step published within
 * its limit: `onTimeout` stops the workers and gives the error to throw).
 */
export async function driveLoops(
  loops: WorkerLoops,
  ring: StepRing,
  block: StepBlock,
  tasks: readonly RunTask[],
  onStep: (step: PublishedStep) => void,
  watchdog: StepWatchdog,
  onTimeout: (limitMs: number) => Error,
): Promise<DrivenRun> {
  ring.reset();
  block.reset();
  loops.post(tasks);
  const run: DrivenRun = { results: [], onStepError: null };
  let k = 0;
  const progress = { at: performance.now() };
  for (;;) {
    const events = ring.events;
    k = drain(ring, block, k, onStep, run, progress);
    if (loops.done) break;
    const wait = waitAsync(ring.words, EVENTS, events);
    if (!wait.async) continue;
    const limit = watchdog.limitMs();
    const timer = expiry(limit === null ? null : limit - (performance.now() - progress.at));
    let expired: boolean;
    try {
      expired = (await Promise.race([wait.value, loops.failed, timer.promise])) === 'expired';
    } finally {
      timer.clear();
    }
    // Steps are published without waking this thread until the ring is half full or
    // SIGNAL_INTERVAL_MS have passed: read them before deciding that nothing moved.
    if (expired) {
      const read = drain(ring, block, k, onStep, run, progress);
      if (read === k || performance.now() - progress.at >= limit!) throw onTimeout(limit!);
      k = read;
    }
  }
  // Every step a worker published came before its reply.
  drain(ring, block, k, onStep, run);
  run.results = loops.replies<RunResult>();
  return run;
}

/** One run of steps as one piscina task per worker (dispatch: 'tasks'). */
export async function driveTasks(
  runTask: (task: RunTask) => Promise<RunResult>,
  ring: StepRing,
  block: StepBlock,
  tasks: readonly RunTask[],
  onStep: (step: PublishedStep) => void,
): Promise<DrivenRun> {
  ring.reset();
  block.reset();
  const run: DrivenRun = { results: await Promise.all(tasks.map(runTask)), onStepError: null };
  drain(ring, block, 0, onStep, run);
  return run;
}
