/**
 * Safetensors files on disk (Node only: the browser entry of @loom/core leaves this module out;
 * in a browser, pass `saveSafetensors`' bytes to a download or `loadSafetensors` fetched bytes).
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Tensor } from '../tensor/tensor.js';
import { loadSafetensors, saveSafetensors, type SafetensorsContents, type SafetensorsMetadata } from './safetensors.js';

/**
 * Writes named tensors to a safetensors file, in safetensors' own order
 * (`save_file(tensors, filename, metadata)`). The write is atomic: the bytes go to a temporary
 * file in the same directory, are flushed to disk, and the file is renamed over `path`, so a
 * crash leaves either the old file or the new one, never half of one.
 * @param tensors - the tensors by name (any strides, dense only: a row-sparse one throws), as
 *   `Module.stateDict()` returns them; `__metadata__` is reserved
 * @param path - the file written (replaced if it exists); its directory must exist
 * @param metadata - free-form string values stored under `__metadata__` (a non-string value throws); omitted: none
 */
export function saveSafetensorsFile(tensors: Readonly<Record<string, Tensor>>, path: string, metadata?: SafetensorsMetadata): Promise<void>;
/**
 * @deprecated The path-first order of Loom 0.1; pass `(tensors, path, metadata)`, as safetensors' `save_file`.
 * @param path - the file written (replaced if it exists); its directory must exist
 * @param tensors - the tensors by name (any strides, dense only: a row-sparse one throws), as
 *   `Module.stateDict()` returns them; `__metadata__` is reserved
 * @param metadata - free-form string values stored under `__metadata__` (a non-string value throws); omitted: none
 */
export function saveSafetensorsFile(path: string, tensors: Readonly<Record<string, Tensor>>, metadata?: SafetensorsMetadata): Promise<void>;
export async function saveSafetensorsFile(
  first: string | Readonly<Record<string, Tensor>>,
  second: string | Readonly<Record<string, Tensor>>,
  metadata?: SafetensorsMetadata,
): Promise<void> {
  // A path is a string and a state dict never is, so the two orders cannot be confused.
  const [stateDict, path] = typeof first === 'string' ? [second, first] : [first, second];
  if (typeof path !== 'string' || typeof stateDict !== 'object' || stateDict === null) {
    throw new TypeError('saveSafetensorsFile: expected (tensors, path, metadata?), as safetensors.torch.save_file');
  }
  const bytes = saveSafetensors(stateDict, metadata);
  const temp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`,
  );
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

/**
 * Reads a safetensors file (see `loadSafetensors`); errors name the file.
 * @param path - the file read, whole, into memory
 */
export async function loadSafetensorsFile(path: string): Promise<SafetensorsContents> {
  const bytes = await readFile(path);
  try {
    return loadSafetensors(bytes);
  } catch (e) {
    throw new Error(`${(e as Error).message} (file ${path})`);
  }
}
