import { pathToFileURL } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import type { Module } from '@loom/core';
import { createBuiltinModel } from './index.js';
import type { ModelSpec } from '../trainer/options.js';
import { checkModelBuffers } from '../protocol/module-buffers.js';

/** A module path as given (relative to the working directory) turned into an importable URL. */
export function moduleUrl(path: string): string {
  if (/^(file|data|node):/.test(path)) return path;
  if (path.startsWith('.') || isAbsolute(path)) return pathToFileURL(resolve(path)).href;
  return path; // a package name
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
