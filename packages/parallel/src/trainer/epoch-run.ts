import type { SharedDataset } from '../data/index.js';
import type { RunResult, RunTask } from '../protocol/messages.js';
import { type PublishedStep, StepOutcome } from '../protocol/step-ring.js';
import { type DrivenRun, driveLoops, driveTasks } from './drive-run.js';
import { WorkerLoops } from './loops.js';
import type { StepInfo } from './options.js';
import type { Setup } from './setup.js';
import type { Position } from './state.js';
import { RankFailedError, stepError, type StepPlace, StepTimeoutError, type WorkerTagged } from './step-error.js';
import type { ResolvedOptions } from './validate.js';
import type { StepWatchdog } from './watchdog.js';

/** What running an epoch needs from the trainer. */
export interface EpochRun {
  setup: Setup;
  options: ResolvedOptions;
  /** Advanced as each step's report is read. */
  position: Position;
  watchdog: StepWatchdog;
  signal: AbortSignal | undefined;
  /** Stops every worker thread after an error; the trainer then refuses to run. */
  teardown(cause: unknown): void;
  /** Whether the workers were torn down. */
  stopped(): boolean;
  /** Marks the stretch where workers step on their own (the shared state is then in flux). */
  running(label: string | null): void;
}

/** Where the next step runs, 1-based as people count: what onStep, the errors and the CLI's events say. */
function nextPlace(position: Position): StepPlace {
  return { step: position.step + 1, epoch: position.epoch + 1, batch: position.batchInEpoch + 1 };
}

/** What onStep receives for a published step, before the position moves past it. */
export function stepInfo(p: PublishedStep, o: ResolvedOptions, position: Position, batches: number, datasetLength: number): StepInfo {
  const skipped = p.outcome === StepOutcome.skipped;
  return {
    ...nextPlace(position),
    batches,
    loss: skipped ? p.loss : p.loss + o.l1 * p.absSum + o.l2 * p.sqSum,
    lr: p.lr,
    samples: Math.min(o.batchSize, datasetLength - position.batchInEpoch * o.batchSize),
    skipped,
    timings: { compute: p.compute, reduceUpdate: p.reduceUpdate, sync: Math.max(0, p.total - p.compute - p.reduceUpdate), total: p.total },
  };
}

/**
 * The rest of the current epoch: with persistent dispatch one run the workers step through on
 * their own, with task dispatch one run per step. Returns 'stopped' when a stop request (an
 * abort) ended it early; throws a StepError on a worker's error or death (after tearing the
 * workers down), a StepTimeoutError when the watchdog fires, and an Error on a non-finite loss
 * under onNonFinite: 'stop'.
 */
export async function runEpoch(
  run: EpochRun,
  desc: SharedDataset,
  batches: number,
  onStep: (p: PublishedStep) => void,
): Promise<'done' | 'stopped'> {
  const { setup, options: o, position, signal } = run;
  let nonFinite: PublishedStep | null = null;
  const consume = (p: PublishedStep): void => {
    if (p.outcome === StepOutcome.nonFinite) {
      nonFinite = p;
      return;
    }
    run.watchdog.record(p.total);
    onStep(p);
    position.step++;
    position.batchInEpoch++;
  };
  const tasks = (batchEnd: number, inLoop: boolean): RunTask[] =>
    Array.from({ length: o.workers }, (_, worker) => ({
      kind: 'run',
      worker,
      dataset: inLoop ? null : desc,
      epoch: position.epoch,
      batchStart: position.batchInEpoch,
      batchEnd,
      step: position.step,
      optimizer: setup.optimizer.stateDict(),
      gated: signal !== undefined,
    }));
  const timeout = (limitMs: number): StepTimeoutError => {
    const place = nextPlace(position);
    const stuck = setup.block.computingWorkers();
    const who =
      stuck.length > 0
        ? `worker${stuck.length > 1 ? 's' : ''} ${stuck.join(', ')} still computing ${stuck.length > 1 ? 'their' : 'its'} chunks`
        : setup.block.exchanging
          ? 'every worker done with its chunks, waiting for the other ranks (one of them is late or stuck)'
          : 'every worker done with its chunks';
    const error = new StepTimeoutError(
      `step ${place.step} (epoch ${place.epoch}, batch ${place.batch}) ran past the watchdog's ${(limitMs / 1000).toFixed(1)} s with ${who}; the worker threads were stopped`,
      place,
      stuck,
      limitMs,
    );
    run.teardown(error);
    return error;
  };
  const drive = async (go: () => Promise<DrivenRun>): Promise<RunResult['ended']> => {
    let driven: DrivenRun;
    try {
      driven = await go();
    } catch (error) {
      if (error instanceof StepTimeoutError) throw error;
      // A worker's error or a thread's death tears the pool down; the step that failed is the
      // one after the last read.
      run.teardown(error);
      throw stepError(error, nextPlace(position), o.model);
    }
    const { results, onStepError } = driven;
    if (results[0]!.ended === 'failed') {
      // No worker of this rank threw (that would have been rethrown above): another rank failed.
      const rank = setup.block.failedRank;
      if (rank === null) throw new Error(`the workers ended step ${nextPlace(position).step} as failed without an error: this is a bug`);
      run.teardown(new RankFailedError(rank, nextPlace(position)));
      throw new RankFailedError(rank, nextPlace(position));
    }
    setup.optimizer.loadStateDict(results[0]!.optimizer!);
    setup.workerKernels = results[0]!.kernels;
    for (const r of results) {
      setup.chunkCounts.replayed += r.chunks.replayed;
      setup.chunkCounts.normal += r.chunks.normal;
    }
    if (onStepError) throw onStepError.error;
    if (nonFinite) {
      const p = nextPlace(position);
      throw new Error(
        `training stopped: the loss is ${(nonFinite as PublishedStep).loss} at step ${p.step} (epoch ${p.epoch}, batch ${p.batch}); parameters are those before this step`,
      );
    }
    return results[0]!.ended;
  };
  if (o.dispatch === 'tasks') {
    const runTask = (task: RunTask): Promise<RunResult> =>
      (setup.pool.run(task) as Promise<RunResult>).catch((error: unknown) => {
        if (error instanceof Error) (error as WorkerTagged).worker ??= task.worker;
        throw error;
      });
    while (position.batchInEpoch < batches) {
      if (signal?.aborted) return 'stopped';
      await drive(() =>
        run.watchdog.watch(driveTasks(runTask, setup.ring, setup.block, tasks(position.batchInEpoch + 1, false), consume), timeout),
      );
    }
    return 'done';
  }
  if (signal?.aborted) return 'stopped';
  const loops = new WorkerLoops(setup.pool, o.workers, [desc]);
  run.running(`epoch ${nextPlace(position).epoch}`);
  try {
    return (await drive(() => driveLoops(loops, setup.ring, setup.block, tasks(batches, true), consume, run.watchdog, timeout))) ===
      'stopped'
      ? 'stopped'
      : 'done';
  } finally {
    run.running(null);
    if (!run.stopped()) await loops.close();
  }
}
