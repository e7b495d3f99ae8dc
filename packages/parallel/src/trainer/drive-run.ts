import type { RunResult, RunTask } from '../protocol/messages.js';
import type { StepBlock } from '../protocol/step-block.js';
import { EVENTS, type PublishedStep, type StepRing } from '../protocol/step-ring.js';
import { waitAsync, type WorkerLoops } from './loops.js';



/**
 * Reads every published step from `from` on, in order, handing each to `onStep` and then marking
 * it consumed (which lets a gated run commit its next step). If `onStep` throws, the workers are
 * asked to stop and the error is kept for the end of the run. Returns the next unread index.
 */
function drain(ring: StepRing, block: StepBlock, from: number, onStep: (step: PublishedStep) => void, errors: unknown[]): number {
  let k = from;
  for (const published = ring.published; k < published; ) {
    try {
      onStep(ring.read(k));
    } catch (error) {
      block.requestStop();
      errors.push(error);
    }
    k++;
    ring.consume(k);
  }
  return k;
}

/**
 * One run of steps on persistent loops: the main thread posts one command per worker, then only
 * reads the ring as the workers publish, woken through Atomics.waitAsync on its event word (which
 * also moves when a worker ends its command), so it never blocks and acts on nothing but what the
 * workers report, a stop request, or a thread's death.
 */
export async function driveLoops(
  loops: WorkerLoops,
  ring: StepRing,
  block: StepBlock,
  tasks: readonly RunTask[],
  onStep: (step: PublishedStep) => void,
): Promise<RunResult[]> {
  ring.reset();
  block.reset();
  loops.post(tasks);
  const errors: unknown[] = [];
  let k = 0;
  for (;;) {
    const events = ring.events;
    k = drain(ring, block, k, onStep, errors);
    if (loops.done) break;
    const wait = waitAsync(ring.words, EVENTS, events);
    if (wait.async) await Promise.race([wait.value, loops.failed]);
  }
  // Every step a worker published came before its reply.
  drain(ring, block, k, onStep, errors);
  const results = loops.replies<RunResult>();
  if (errors.length > 0) throw errors[0];
  return results;
}

/** One run of steps as one piscina task per worker (dispatch: 'tasks'). */
export async function driveTasks(
  run: (task: RunTask) => Promise<RunResult>,
  ring: StepRing,
  block: StepBlock,
  tasks: readonly RunTask[],
  onStep: (step: PublishedStep) => void,
): Promise<RunResult[]> {
  ring.reset();
  block.reset();
  const results = await Promise.all(tasks.map(run));
  const errors: unknown[] = [];
  drain(ring, block, 0, onStep, errors);
  if (errors.length > 0) throw errors[0];
  return results;
}
