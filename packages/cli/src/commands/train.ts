import { resolve } from 'node:path';
import { readConfigFile } from '../config-file.js';
import { type ParsedFlags, flagsToConfig } from '../config-flags.js';
import { type TrainConfig, defaultTrainConfig, mergeTrainConfig, validateTrainConfig } from '../config.js';
import { finalizeMpi, processRank, RankFailedError, StepError } from '@loom/parallel';
import { ExitCode, UsageError } from '../errors.js';
import { onRank } from '../mpi-ranks.js';
import type { OutputFormat } from '../output/json-lines.js';
import { resolvePath } from '../paths.js';
import { type LoadedCheckpoint, latestCheckpoint, loadCheckpoint, removeStrayTemporaries } from '../run/checkpoints.js';
import { acquireRunLock } from '../run/lock.js';
import { checkOutDir } from '../run/out-dir.js';
import { checkRunDirFree, defaultRunDir, readRunConfig, removeStaleSiblings } from '../run/run-dir.js';
import { runTraining } from './train-run.js';

/** What `loom train` takes besides the config flags. */
export interface TrainCommandOptions {
  flags: ParsedFlags;
  configFile: string | undefined;
  out: string | undefined;
  overwrite: boolean;
  /** `--resume` alone (true: the run in `--out`) or `--resume DIR`. */
  resume: string | boolean | undefined;
  format: OutputFormat;
  /** Print every N-th step (undefined: the format's default). */
  logEvery: number | undefined;
  keepCheckpoints: number;
  /** Seconds, or 'auto'. */
  stepTimeout: string;
}

/** Settings that may change when a run is resumed; any other change would break exact resumption. */
const RESUMABLE_CHANGES = new Set(['epochs', 'workers']);

/** The run `loom train` is asked for, resolved and checked before anything is read or started. */
export interface ResolvedRun {
  config: TrainConfig;
  runDir: string;
  resuming: boolean;
}

/** The first setting where two configs differ (besides those a resume may change), or null. */
export function configDifference(saved: Partial<TrainConfig>, config: TrainConfig): { key: string; saved: string; given: string } | null {
  for (const key of Object.keys(config) as (keyof TrainConfig)[]) {
    if (RESUMABLE_CHANGES.has(key) || !(key in saved)) continue;
    const [a, b] = [JSON.stringify(saved[key]), JSON.stringify(config[key])];
    if (a !== b) return { key, saved: a, given: b };
  }
  return null;
}

/**
 * Resolves config and run directory: defaults < config file < flags, or the saved run < flags on
 * resume. `primary`: this process writes the run (false on MPI ranks other than 0, which only
 * read it, so they check nothing of the directory rank 0 is about to create).
 */
function resolveRun(options: TrainCommandOptions, primary: boolean): ResolvedRun {
  const fileLayer = options.configFile !== undefined ? readConfigFile(resolvePath(options.configFile)) : {};
  const flagLayer = flagsToConfig(options.flags);
  if (options.resume === undefined || options.resume === false) {
    const config = mergeTrainConfig(defaultTrainConfig(), fileLayer, flagLayer);
    validateTrainConfig(config);
    const runDir = options.out ?? defaultRunDir();
    if (primary) {
      checkOutDir(runDir);
      checkRunDirFree(runDir, options.overwrite);
    }
    return { config, runDir, resuming: false };
  }
  const runDir = typeof options.resume === 'string' ? options.resume : options.out;
  if (runDir === undefined) throw new UsageError('--resume needs the run to continue: --resume runs/NAME (or --out runs/NAME --resume)');
  if (typeof options.resume === 'string' && options.out !== undefined && resolve(options.out) !== resolve(options.resume)) {
    throw new UsageError(`--resume ${options.resume} and --out ${options.out} name different runs`);
  }
  if (options.overwrite)
    throw new UsageError('--overwrite and --resume contradict each other: one replaces the run, the other continues it');
  checkOutDir(runDir, '--resume');
  const saved = readRunConfig(runDir);
  const config = mergeTrainConfig(saved, fileLayer, flagLayer);
  const changed = configDifference(saved, config);
  if (changed !== null) {
    throw new UsageError(
      `'${changed.key}' cannot change when resuming (the run has ${changed.saved}, got ${changed.given}); only --epochs and --workers can`,
    );
  }
  validateTrainConfig(config);
  return { config, runDir, resuming: true };
}

/**
 * `loom train`: checks everything it can before reading data or starting workers (config, `--out`,
 * the run directory), takes the run's lock, and trains with checkpoints every epoch and when a
 * signal or a closed stdout stops it; returns the exit status.
 *
 * Under an MPI launch of several ranks (`mpirun -n 4 loom train …`, `srun`), the rank comes from
 * MPI: every rank trains its share, rank 0 alone takes the lock, writes the run and prints; an
 * error is printed by the rank it happened on, prefixed with that rank (rank 0 also says which
 * rank failed, the others stay quiet about it).
 */
export async function trainCommand(options: TrainCommandOptions): Promise<number> {
  const { rank, ranks } = await processRank();
  try {
    const code = await trainRank(options, rank === 0);
    await finalizeMpi();
    return code;
  } catch (error) {
    if (ranks === 1) throw error;
    // A step that threw on some rank stopped every rank at that step, with MPI intact: ending
    // MPI together lets each rank report before the launcher would kill the others. (A thread
    // that died leaves the others waiting: the wait is bounded.)
    if (causedBy(error, RankFailedError) || causedBy(error, StepError)) await Promise.race([finalizeMpi(), delay(FINALIZE_WAIT_MS)]);
    if (rank !== 0 && causedBy(error, RankFailedError)) return ExitCode.failure;
    throw onRank(error, rank);
  }
}

/** How long a failed rank waits for the others to end MPI with it. */
const FINALIZE_WAIT_MS = 5000;

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Whether `error` or an error in its cause chain is a `kind`. */
function causedBy(error: unknown, kind: new (...args: never[]) => Error): boolean {
  let e: unknown = error;
  for (let depth = 0; e instanceof Error && depth < 5; depth++) {
    if (e instanceof kind) return true;
    e = (e as Error).cause;
  }
  return false;
}

async function trainRank(options: TrainCommandOptions, primary: boolean): Promise<number> {
  const run = resolveRun(options, primary);
  if (!primary) return runFollower(run, options);
  const release = acquireRunLock(run.runDir);
  try {
    removeStaleSiblings(run.runDir);
    let checkpoint: { path: string; loaded: LoadedCheckpoint } | null = null;
    if (run.resuming) {
      removeStrayTemporaries(run.runDir);
      const path = latestCheckpoint(run.runDir);
      if (path === null) throw new UsageError(`${run.runDir} has no checkpoint to resume from`);
      const loaded = await loadCheckpoint(path);
      const changed = loaded.config && configDifference(loaded.config, run.config);
      if (changed)
        throw new UsageError(
          `cannot resume from ${path}: it was saved with '${changed.key}' ${changed.saved}, the run's config has ${changed.given}`,
        );
      checkpoint = { path, loaded };
    } else {
      // Checked again under the lock: another process may have written there meanwhile.
      checkRunDirFree(run.runDir, options.overwrite);
    }
    return await runTraining({ ...run, checkpoint, options, primary: true });
  } finally {
    release();
  }
}

/** An MPI rank other than 0: reads what rank 0 reads (the run's latest checkpoint on resume) and trains its share, writing nothing. */
async function runFollower(run: ResolvedRun, options: TrainCommandOptions): Promise<number> {
  let checkpoint: { path: string; loaded: LoadedCheckpoint } | null = null;
  if (run.resuming) {
    const path = latestCheckpoint(run.runDir);
    if (path === null) throw new UsageError(`${run.runDir} has no checkpoint to resume from`);
    checkpoint = { path, loaded: await loadCheckpoint(path) };
  }
  return runTraining({ ...run, checkpoint, options, primary: false });
}
