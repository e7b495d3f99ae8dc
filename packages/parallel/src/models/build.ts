import { pathToFileURL } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import type { Module } from '@loom/core';
import { createBuiltinModel } from './index.js';
import type { ModelSpec } from '../trainer/options.js';

/** A module path as given (relative to the working directory) turned into an importable URL. */
export function moduleUrl(path: string): string {
  if (/^(file|data|node):/.test(path)) return path;
  if (path.startsWith('.') || isAbsolute(path)) return pathToFileURL(resolve(path)).href;
  return path; // a package name
}

/**
 * Buffers (BatchNorm's running statistics) would be updated by each worker's replica on its own
 * chunks and never reach the main thread's model, so evaluation would depend on the worker count:
 * refused until the trainer keeps buffers in shared memory and updates them in chunk order.
 */
function refuseBuffers(model: Module, what: string): void {
  const names = model.namedBuffers().map(([name]) => name);
  if (names.length === 0) return;
  throw new Error(
    `${what} returned a model with buffers (${names.join(', ')}), such as BatchNorm's running statistics; ` +
      'the data-parallel trainer does not yet keep buffers in step across worker replicas, so it refuses them. ' +
      'Use GroupNorm or LayerNorm, or train the model in one thread with @loom/core and @loom/optim.',
  );
}

/** Builds the model a spec describes; the same code runs on the main thread and in every worker. */
export async function buildModel(spec: ModelSpec): Promise<Module> {
  if ('builtin' in spec) {
    const model = createBuiltinModel(spec);
    refuseBuffers(model, `builtin model '${spec.builtin}'`);
    return model;
  }
  const name = spec.export ?? 'createModel';
  let mod: Record<string, unknown>;
  try {
    mod = (await import(moduleUrl(spec.module))) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`model module '${spec.module}' could not be imported: ${(error as Error).message}`, { cause: error });
  }
  const factory = mod[name];
  if (typeof factory !== 'function') {
    const exports = Object.keys(mod).join(', ') || 'none';
    throw new Error(`model module '${spec.module}' has no function export '${name}' (exports: ${exports})`);
  }
  const model = (await (factory as (...args: unknown[]) => unknown)(...(spec.args ?? []))) as Module;
  if (!model || typeof (model as Module).forward !== 'function' || typeof (model as Module).namedParameters !== 'function') {
    throw new Error(`model module '${spec.module}': ${name}() did not return a Module`);
  }
  refuseBuffers(model, `model module '${spec.module}': ${name}()`);
  return model;
}
