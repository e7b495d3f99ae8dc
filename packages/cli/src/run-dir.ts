import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { loadSafetensorsFile, saveSafetensorsFile } from '@loom/core';
import type { TrainerState } from '@loom/parallel';
import type { TrainConfig } from './config.js';
import { UsageError } from './errors.js';

/**
 * A run directory:
 *   config.json                 the resolved config
 *   metrics.jsonl               one JSON object per step and per epoch, appended
 *   checkpoints/epoch-0003.safetensors, step-000123.safetensors
 *                               weights + optimizer buffers; trainer state as JSON metadata
 *   checkpoints/latest.json     which checkpoint to resume from, written last
 * Every file but metrics.jsonl is written to a temporary file and renamed into place.
 */
export const CONFIG_FILE = 'config.json';
export const METRICS_FILE = 'metrics.jsonl';
export const CHECKPOINT_DIR = 'checkpoints';
export const LATEST_FILE = 'latest.json';
/** The safetensors metadata key holding the trainer state's JSON. */
export const STATE_KEY = 'loom.trainer';

/** Why a checkpoint was written. */
export type CheckpointReason = 'epoch' | 'interrupt';

/** What `latest.json` says about the newest checkpoint. */
export interface CheckpointPointer {
  file: string;
  reason: CheckpointReason;
  /** Completed epochs, and optimizer steps taken, when it was written. */
  epoch: number;
  step: number;
  batchInEpoch: number;
}

/** `runs/YYYYMMDD-HHMMSS` (with `-2`, `-3`… if taken) under the working directory. */
export function defaultRunDir(now: Date = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  let dir = join('runs', stamp);
  for (let i = 2; existsSync(dir); i++) dir = join('runs', `${stamp}-${i}`);
  return dir;
}

/** Refuses to reuse a directory that holds anything, unless `overwrite`; checked before any work starts. */
export function checkRunDirFree(dir: string, overwrite: boolean): void {
  if (overwrite || !existsSync(dir)) return;
  if (readdirSync(dir).length > 0) {
    throw new UsageError(`${dir} already exists and is not empty; pass --overwrite to replace it, or --resume to continue its run`);
  }
}

/** Creates (or, with `overwrite`, empties and recreates) a run directory and writes its config. */
export function createRunDir(dir: string, config: TrainConfig, overwrite: boolean): void {
  checkRunDirFree(dir, overwrite);
  if (overwrite) rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, CHECKPOINT_DIR), { recursive: true });
  writeJsonAtomic(join(dir, CONFIG_FILE), config);
}

/** The config saved in a run directory; a UsageError when there is none. */
export function readRunConfig(dir: string): TrainConfig {
  const path = join(dir, CONFIG_FILE);
  if (!existsSync(path)) throw new UsageError(`${dir} is not a loom run: ${CONFIG_FILE} is missing`);
  return JSON.parse(readFileSync(path, 'utf8')) as TrainConfig;
}

/** Writes JSON through a temporary file renamed into place. */
export function writeJsonAtomic(path: string, value: unknown): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Appends one record to the run's metrics.jsonl. */
export function appendMetrics(dir: string, record: Record<string, unknown>): void {
  appendFileSync(join(dir, METRICS_FILE), `${JSON.stringify(record)}\n`);
}

/**
 * Saves the trainer's state as a checkpoint, then points `latest.json` at it. The trainer state's
 * metadata (epoch, step, position in the epoch, optimizer and scheduler state) and the seed go
 * into the safetensors header, so one file restores training exactly; shuffling and dropout
 * are functions of (seed, epoch, step), so that is all the random state there is.
 */
export async function saveCheckpoint(dir: string, state: TrainerState, seed: number, reason: CheckpointReason): Promise<string> {
  const epoch = Number(state.meta.epoch);
  const step = Number(state.meta.step);
  const batchInEpoch = Number(state.meta.batchInEpoch);
  const file = reason === 'epoch' ? `epoch-${String(epoch).padStart(4, '0')}.safetensors` : `step-${String(step).padStart(6, '0')}.safetensors`;
  const path = join(dir, CHECKPOINT_DIR, file);
  mkdirSync(dirname(path), { recursive: true });
  await saveSafetensorsFile(state.tensors, path, { [STATE_KEY]: JSON.stringify({ ...state.meta, seed }) });
  const pointer: CheckpointPointer = { file, reason, epoch, step, batchInEpoch };
  writeJsonAtomic(join(dir, CHECKPOINT_DIR, LATEST_FILE), pointer);
  return path;
}

/** The checkpoint `latest.json` points at, or null when the run has none yet. */
export function latestCheckpoint(dir: string): string | null {
  const pointerPath = join(dir, CHECKPOINT_DIR, LATEST_FILE);
  if (!existsSync(pointerPath)) return null;
  const pointer = JSON.parse(readFileSync(pointerPath, 'utf8')) as CheckpointPointer;
  return join(dir, CHECKPOINT_DIR, pointer.file);
}

/** Reads a checkpoint back into the form `loadStateDict` takes. */
export async function loadCheckpoint(path: string): Promise<TrainerState> {
  if (!existsSync(path)) throw new UsageError(`no such checkpoint: ${path}`);
  const { tensors, metadata } = await loadSafetensorsFile(path);
  const json = metadata[STATE_KEY];
  if (json === undefined) throw new UsageError(`${path} is not a loom checkpoint: its header has no '${STATE_KEY}' metadata`);
  return { tensors, meta: JSON.parse(json) as Record<string, unknown> };
}
