import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadSafetensorsFile, saveSafetensorsFile } from '@loom/core';
import type { TrainerState } from '@loom/parallel';
import type { TrainConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { writeJsonAtomic } from './files.js';
import { CHECKPOINT_DIR } from './run-dir.js';

export const LATEST_FILE = 'latest.json';
/** The safetensors metadata keys: the trainer state's JSON, and the run's config. */
export const STATE_KEY = 'loom.trainer';
export const CONFIG_KEY = 'loom.config';

/** Why a checkpoint was written: an epoch ended, or a signal (or closed stdout) stopped the run. */
export type CheckpointReason = 'epoch' | 'interrupt';

/** One checkpoint the run keeps. */
export interface KeptCheckpoint {
  file: string;
  step: number;
  valLoss: number | null;
}

/** What `latest.json` says: the newest checkpoint, and the ones kept. */
export interface CheckpointPointer {
  file: string;
  reason: CheckpointReason;
  /** Completed epochs, and optimizer steps taken, when it was written. */
  epoch: number;
  step: number;
  batchInEpoch: number;
  /** Oldest first; the newest `keep`, and the best by validation loss. */
  kept: KeptCheckpoint[];
}

/** Removes temporary files of writes a killed run never finished (`.NAME.PID….tmp`). Call under the run's lock. */
export function removeStrayTemporaries(runDir: string): number {
  let removed = 0;
  for (const dir of [runDir, join(runDir, CHECKPOINT_DIR)]) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir)) {
      if (/^\..*\.tmp$/.test(entry)) {
        rmSync(join(dir, entry), { force: true });
        removed++;
      }
    }
  }
  return removed;
}

/** The pointer in `latest.json`, or null when the run has none yet; a UsageError naming the file when it is corrupt. */
export function readPointer(runDir: string): CheckpointPointer | null {
  const path = join(runDir, CHECKPOINT_DIR, LATEST_FILE);
  if (!existsSync(path)) return null;
  let pointer: CheckpointPointer;
  try {
    pointer = JSON.parse(readFileSync(path, 'utf8')) as CheckpointPointer;
  } catch (error) {
    throw new UsageError(`${path} is corrupt: ${(error as Error).message}`);
  }
  if (typeof pointer?.file !== 'string' || /[/\\]/.test(pointer.file))
    throw new UsageError(`${path} is corrupt: it names no checkpoint file`);
  pointer.kept ??= [{ file: pointer.file, step: pointer.step, valLoss: null }];
  return pointer;
}

/** The checkpoint `latest.json` points at, or null when the run has none yet. */
export function latestCheckpoint(runDir: string): string | null {
  const pointer = readPointer(runDir);
  if (pointer === null) return null;
  const path = join(runDir, CHECKPOINT_DIR, pointer.file);
  if (!existsSync(path)) throw new UsageError(`${join(runDir, CHECKPOINT_DIR, LATEST_FILE)} points at ${pointer.file}, which is missing`);
  return path;
}

/**
 * Saves the trainer's state as a checkpoint (the trainer state and the config in the safetensors
 * header: one file restores training exactly), points `latest.json` at it, and deletes the
 * checkpoints no longer kept: all but the newest `keep` and the best by validation loss.
 */
export async function saveCheckpoint(
  runDir: string,
  state: TrainerState,
  config: TrainConfig,
  reason: CheckpointReason,
  valLoss: number | null,
  keep: number,
): Promise<string> {
  const epoch = Number(state.meta.epoch);
  const step = Number(state.meta.step);
  const batchInEpoch = Number(state.meta.batchInEpoch);
  const file =
    reason === 'epoch' ? `epoch-${String(epoch).padStart(4, '0')}.safetensors` : `step-${String(step).padStart(6, '0')}.safetensors`;
  const dir = join(runDir, CHECKPOINT_DIR);
  mkdirSync(dir, { recursive: true });
  // The config without what may change on resume (epochs, workers): the same training writes the same bytes.
  const { epochs: _epochs, workers: _workers, ...determining } = config;
  await saveSafetensorsFile(state.tensors, join(dir, file), {
    [STATE_KEY]: JSON.stringify(state.meta),
    [CONFIG_KEY]: JSON.stringify(determining),
  });
  const previous = readPointer(runDir)?.kept ?? [];
  const all = [...previous.filter((k) => k.file !== file), { file, step, valLoss }];
  const kept = keptCheckpoints(all, keep);
  writeJsonAtomic(join(dir, LATEST_FILE), { file, reason, epoch, step, batchInEpoch, kept } satisfies CheckpointPointer);
  for (const k of all) if (!kept.includes(k)) rmSync(join(dir, k.file), { force: true });
  return join(dir, file);
}

/** The newest `keep` checkpoints and the one of lowest validation loss, oldest first. */
export function keptCheckpoints(all: KeptCheckpoint[], keep: number): KeptCheckpoint[] {
  const newest = all.slice(-keep);
  let best: KeptCheckpoint | null = null;
  for (const k of all) if (k.valLoss !== null && (best === null || k.valLoss < best.valLoss!)) best = k;
  return all.filter((k) => newest.includes(k) || k === best);
}

/** A checkpoint read back: the trainer state, and the config it was saved with (null in older checkpoints). */
export interface LoadedCheckpoint {
  state: TrainerState;
  config: Partial<TrainConfig> | null;
}

/** Reads a checkpoint back; a UsageError naming the file when it is missing, corrupt or not loom's. */
export async function loadCheckpoint(path: string): Promise<LoadedCheckpoint> {
  if (!existsSync(path)) throw new UsageError(`no such checkpoint: ${path}`);
  let loaded: Awaited<ReturnType<typeof loadSafetensorsFile>>;
  try {
    loaded = await loadSafetensorsFile(path);
  } catch (error) {
    throw new UsageError(`${path} is not a readable checkpoint (corrupt or truncated?): ${(error as Error).message}`);
  }
  const { tensors, metadata } = loaded;
  const json = metadata[STATE_KEY];
  if (json === undefined) throw new UsageError(`${path} is not a loom checkpoint: its header has no '${STATE_KEY}' metadata`);
  try {
    const config = metadata[CONFIG_KEY];
    return {
      state: { tensors, meta: JSON.parse(json) as Record<string, unknown> },
      config: config === undefined ? null : (JSON.parse(config) as Partial<TrainConfig>),
    };
  } catch (error) {
    throw new UsageError(`${path} is corrupt: its metadata is not valid JSON (${(error as Error).message})`);
  }
}
