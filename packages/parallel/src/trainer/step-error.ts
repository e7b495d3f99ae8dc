import type { ModelSpec } from './options.js';
import { moduleUrl } from '../models/build.js';
import { platform } from '../platform/platform.js';

/** Where in training a step ran, 1-based as people count: the n-th step, epoch and batch. */
export interface StepPlace {
  step: number;
  epoch: number;
  batch: number;
}

/**
 * A training step that failed in a worker thread. The message says where ("at step 12 (epoch 1,
 * batch 12) in worker 0") and, when the user's model module threw, says so with the module's
 * file and line. The worker's own error, with its stack, is the `cause`.
 */
export class StepError extends Error {
  override readonly name = 'StepError';

  /**
   * @param message - the whole message, saying where the step failed (see `stepError`, which builds it)
   * @param place - the failed step, its epoch and batch, 1-based
   * @param worker - the worker thread (0-based) whose error this is
   * @param modelLocation - `file:line:column` of the model module in the worker's stack, or null
   * @param options - `cause`: the worker's own error, with its stack
   */
  constructor(
    message: string,
    readonly place: StepPlace,
    /** The worker thread (0-based) whose error this is. */
    readonly worker: number,
    /** The first line of the user's model module in the worker's stack, `file:line:column`, or null. */
    readonly modelLocation: string | null,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The step ran longer than the watchdog allows; the worker threads were stopped (a forward that
 * never returns cannot be interrupted any other way).
 */
export class StepTimeoutError extends Error {
  override readonly name = 'StepTimeoutError';

  /**
   * @param message - the whole message, naming the step and the limit
   * @param place - the step that ran too long, its epoch and batch, 1-based
   * @param workers - the workers (0-based) still computing when the time ran out
   * @param limitMs - the watchdog's limit, in milliseconds
   */
  constructor(
    message: string,
    readonly place: StepPlace,
    /** Workers (0-based) still computing their part of the batch when the time ran out. */
    readonly workers: number[],
    readonly limitMs: number,
  ) {
    super(message);
  }
}

/**
 * Under MPI: another rank's step failed (its worker threw; that rank reports the error itself),
 * so this rank stopped at the same step, as every rank did.
 */
export class RankFailedError extends Error {
  override readonly name = 'RankFailedError';

  /**
   * @param rank - the rank whose step failed
   * @param place - the step, 1-based, where every rank stopped
   */
  constructor(
    readonly rank: number,
    readonly place: StepPlace,
  ) {
    super(
      `rank ${rank} failed at step ${place.step} (epoch ${place.epoch}, batch ${place.batch}); every rank stopped there (rank ${rank}'s output has its error)`,
    );
  }
}

/** The error a worker reported, tagged with its worker index by the dispatch. */
export type WorkerTagged = Error & { worker?: number };

/** `file:line:column` of the first frame of a stack inside the model module's file, or null. */
export function modelFrame(stack: string | undefined, model: ModelSpec): string | null {
  if (!stack || !('module' in model)) return null;
  const { filePath } = platform();
  const path = filePath(moduleUrl(model.module));
  for (const line of stack.split('\n').slice(1)) {
    const match = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!match) continue;
    const file = filePath(match[1]!);
    if (file === path) return `${file}:${match[2]}:${match[3]}`;
  }
  return null;
}

/** Wraps a worker's error in a StepError saying where it happened and whether the model threw it. */
export function stepError(error: unknown, place: StepPlace, model: ModelSpec): StepError {
  const cause: WorkerTagged = error instanceof Error ? error : new Error(String(error));
  const worker = cause.worker ?? 0;
  const where = `at step ${place.step} (epoch ${place.epoch}, batch ${place.batch}) in worker ${worker}`;
  const location = modelFrame(cause.stack, model);
  const message = location
    ? `the model's forward threw ${where}: ${cause.message} (at ${location})`
    : `the step failed ${where}: ${cause.message}`;
  return new StepError(message, place, worker, location, { cause });
}
