/**
 * Safetensors files on disk (Node only: the browser entry of @loom/core leaves this module out;
 * in a browser, pass `saveSafetensors`' bytes to a download or `loadSafetensors` fetched bytes).
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Tensor } from '../tensor/tensor.js';
import { loadSafetensors, saveSafetensors, type SafetensorsContents, type SafetensorsMetadata } from './safetensors.js';

/**
 * Writes a safetensors file atomically: the bytes go to a temporary file in the same directory,
 * are flushed to disk, and the file is renamed over `path`, so a crash leaves either the old
 * file or the new one, never half of one.
 */
export async function saveSafetensorsFile(path: string, stateDict: Readonly<Record<string, Tensor>>, metadata?: SafetensorsMetadata): Promise<void> {
  const bytes = saveSafetensors(stateDict, metadata);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  try {
    const file = await open(temp, 'wx');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

/** Reads a safetensors file (see `loadSafetensors`). */
export async function loadSafetensorsFile(path: string): Promise<SafetensorsContents> {
  const bytes = await readFile(path);
  try {
    return loadSafetensors(bytes);
  } catch (e) {
    throw new Error(`${(e as Error).message} (file ${path})`);
  }
}
