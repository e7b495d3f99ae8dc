import type { Module } from '@loom/core';
import { createBuiltinModel } from './index.js';
import type { ModelSpec } from '../trainer/options.js';
import { platform } from '../platform/platform.js';
import { checkModelBuffers } from '../protocol/module-buffers.js';

/** A model module as given turned into an importable URL: URLs as they are, paths and package names as the platform names them. */
export function moduleUrl(module: string): string {
  return /^(file|data|node|https?|blob):/.test(module) ? module : platform().moduleUrl(module);
}

/** Builds the model a spec describes; the same code runs on the main thread and in every worker. */
export async function buildModel(spec: ModelSpec): Promise<Module> {
  if ('builtin' in spec) {
    const model = createBuiltinModel(spec);
    checkModelBuffers(model, `builtin model '${spec.builtin}'`);
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
  checkModelBuffers(model, `model module '${spec.module}': ${name}()`);
  return model;
}
