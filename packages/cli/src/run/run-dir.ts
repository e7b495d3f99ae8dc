import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { defaultTrainConfig, mergeTrainConfig, type TrainConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { writeJsonAtomic } from './files.js';
import { processAlive } from './lock.js';

/**
 * A run directory:
 *   config.json                 the resolved config
 *   metrics.jsonl               one JSON object per step and per epoch, appended
 *   curves.svg                  train/val loss, val accuracy and lr per epoch
 *   checkpoints/epoch-0003.safetensors, step-000123.safetensors
 *                               weights + optimizer buffers; trainer state and config as metadata
 *   checkpoints/latest.json     which checkpoint to resume from (and the kept ones), written last
 * Every file but metrics.jsonl is written to a temporary file and renamed into place.
 */
export const CONFIG_FILE = 'config.json';
export const METRICS_FILE = 'metrics.jsonl';
export const CURVES_FILE = 'curves.svg';
export const CHECKPOINT_DIR = 'checkpoints';
/** What loom writes in a run directory: anything else there is the user's, and never deleted. */
const RUN_ENTRIES = new Set([CONFIG_FILE, METRICS_FILE, CURVES_FILE, CHECKPOINT_DIR]);

/** `runs/YYYYMMDD-HHMMSS` (with `-2`, `-3`… if taken) under the working directory. */
export function defaultRunDir(now: Date = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  let dir = join('runs', stamp);
  for (let i = 2; existsSync(dir); i++) dir = join('runs', `${stamp}-${i}`);
  return dir;
}

/** Why `dir` is not a loom run that --overwrite may replace, or null when it is one. */
function notALoomRun(dir: string): string | null {
  const entries = readdirSync(dir);
  const foreign = entries.filter((e) => !RUN_ENTRIES.has(e) && !/^\..*\.tmp$/.test(e));
  if (foreign.length > 0) return `it holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}, which loom did not write`;
  if (!entries.includes(CONFIG_FILE)) return `it has no ${CONFIG_FILE}`;
  try {
    const config = JSON.parse(readFileSync(join(dir, CONFIG_FILE), 'utf8')) as Record<string, unknown>;
    if (typeof config.model !== 'string' || typeof config.epochs !== 'number') return `its ${CONFIG_FILE} is not a loom run's`;
  } catch {
    return `its ${CONFIG_FILE} is not valid JSON`;
  }
  return null;
}

/**
 * Refuses a run directory that holds anything, unless `overwrite` and it is a loom run (a
 * config.json of loom's, and only files loom writes): a folder of the user's is never replaced.
 */
export function checkRunDirFree(dir: string, overwrite: boolean): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new UsageError(`--out ${dir} is a file, not a directory`);
  if (readdirSync(dir).length === 0) return;
  if (!overwrite)
    throw new UsageError(`${dir} already exists and is not empty; pass --overwrite to replace it, or --resume to continue its run`);
  const why = notALoomRun(dir);
  if (why !== null)
    throw new UsageError(`--overwrite refuses to replace ${dir}: ${why}; it is not a loom run (move it away, or choose another --out)`);
}

/** The config saved in a run directory (settings added since filled with their defaults); a UsageError naming the file when it is missing or corrupt. */
export function readRunConfig(dir: string): TrainConfig {
  const path = join(dir, CONFIG_FILE);
  if (!existsSync(path)) throw new UsageError(`${dir} is not a loom run: ${CONFIG_FILE} is missing`);
  let saved: unknown;
  try {
    saved = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`${path} is corrupt: ${(error as Error).message}`);
  }
  if (saved === null || typeof saved !== 'object' || Array.isArray(saved)) throw new UsageError(`${path} is corrupt: not a JSON object`);
  return mergeTrainConfig(defaultTrainConfig(), saved as TrainConfig);
}

/** Sibling directories of a run's staging and swapping: `.NAME.new-PID`, `.NAME.old-PID`. */
function sibling(final: string, kind: 'new' | 'old', pid = process.pid): string {
  return join(dirname(final), `.${basename(final)}.${kind}-${pid}`);
}

/** Removes staging and swap leftovers of killed runs of this directory (their process is gone). Call under the run's lock. */
export function removeStaleSiblings(final: string): void {
  const parent = dirname(final);
  if (!existsSync(parent)) return;
  const pattern = new RegExp(`^\\.${basename(final).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(new|old)-(\\d+)$`);
  for (const entry of readdirSync(parent)) {
    const match = pattern.exec(entry);
    if (match && !processAlive(Number(match[2]))) rmSync(join(parent, entry), { recursive: true, force: true });
  }
}

/**
 * Where a run's files go. A new run (and one replacing an old run with --overwrite) is written
 * in a staging sibling, `.NAME.new-PID`, and takes the final name only once its first checkpoint
 * is on disk: a run that fails before that leaves nothing behind, and the old run stays whole.
 */
export class RunDir {
  private constructor(
    readonly final: string,
    private staging: string | null,
  ) {}

  /** A new run: its staging directory with the config in it. */
  static create(final: string, config: TrainConfig): RunDir {
    const staging = sibling(final, 'new');
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(join(staging, CHECKPOINT_DIR), { recursive: true });
    writeJsonAtomic(join(staging, CONFIG_FILE), config);
    return new RunDir(final, staging);
  }

  /** An existing run, resumed in place. */
  static existing(final: string): RunDir {
    return new RunDir(final, null);
  }

  /** The directory files go to now. */
  get path(): string {
    return this.staging ?? this.final;
  }

  get published(): boolean {
    return this.staging === null;
  }

  /**
   * Gives the staged run its final name (after its first checkpoint): an old run there is moved
   * aside, the new one renamed in, and only then the old one deleted.
   */
  publish(): void {
    if (this.staging === null) return;
    mkdirSync(dirname(this.final), { recursive: true });
    let old: string | null = null;
    if (existsSync(this.final) && readdirSync(this.final).length > 0) {
      old = sibling(this.final, 'old');
      renameSync(this.final, old);
    }
    try {
      renameSync(this.staging, this.final);
    } catch (error) {
      if (old !== null) renameSync(old, this.final);
      throw error;
    }
    this.staging = null;
    if (old !== null) rmSync(old, { recursive: true, force: true });
  }

  /** Removes a staged run that never reached its first checkpoint. */
  discard(): void {
    if (this.staging !== null) rmSync(this.staging, { recursive: true, force: true });
  }
}
