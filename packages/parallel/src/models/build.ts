import type { Module } from '@loom/core';
import { createBuiltinModel } from './index.js';
import type { ModelFactory, ModelSpec } from '../trainer/options.js';
import { platform } from '../platform/platform.js';
import { checkModelBuffers } from '../protocol/module-buffers.js';

/**
 * A module path as given turned into an importable URL: URLs as they are; a relative path
 * ('./model.mjs') resolves from `base`, the URL of the module that created the trainer; other
 * paths and package names as the platform names them (in Node a relative path without a base
 * resolves from the working directory).
 */
export function moduleUrl(path: string, base: string | null = null): string {
  if (/^(file|data|node|https?|blob):/.test(path)) return path;
  if (path.startsWith('.') && base !== null) return new URL(path, base).href;
  return platform().moduleUrl(path);
}

/** How `buildModel` gets a factory the caller passed as a function (`TrainerOptions.model`). */
export interface FactoryPassed {
  /** The function itself, which the main thread calls (it cannot cross threads). */
  factory?: ModelFactory;
  /** The printed tree of the model the main thread built with it, which a worker's replica must match. */
  printed?: string;
}

/** The export `name` of `module`; for a factory passed as a function, an error saying what to do when it is missing. */
async function importFactory(module: string, name: string, passed: FactoryPassed): Promise<unknown> {
  const url = moduleUrl(module);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`model module '${module}' could not be imported: ${(error as Error).message}`, { cause: error });
  }
  const factory = mod[name];
  if (typeof factory === 'function') return factory;
  const exports = Object.keys(mod).join(', ') || 'none';
  if (passed.printed === undefined) throw new Error(`model module '${module}' has no function export '${name}' (exports: ${exports})`);
  throw new Error(
    `the model factory ${name}() is not exported by ${platform().filePath(url)}, the module that ` +
      `created the trainer (its exports: ${exports}): each worker thread imports that module and calls its export ` +
      `'${name}' to build its replica. Export it there (export function ${name}, or export { ${name} } from the module ` +
      `that defines it), or pass { module, export: '${name}' } naming a module that exports it`,
  );
}

/**
 * Builds the model a spec describes; the same code runs on the main thread and in every worker.
 * A factory passed as a function is called directly on the main thread; workers import it.
 */
export async function buildModel(spec: ModelSpec, passed: FactoryPassed = {}): Promise<Module> {
  if ('builtin' in spec) {
    const model = createBuiltinModel(spec);
    checkModelBuffers(model, `builtin model '${spec.builtin}'`);
    return model;
  }
  const name = spec.export ?? 'createModel';
  const factory = passed.factory ?? (await importFactory(spec.module, name, passed));
  const model = (await (factory as (...args: unknown[]) => unknown)(...(spec.args ?? []))) as Module;
  if (!model || typeof (model as Module).forward !== 'function' || typeof (model as Module).namedParameters !== 'function') {
    throw new Error(`model module '${spec.module}': ${name}() did not return a Module`);
  }
  if (passed.printed !== undefined && String(model) !== passed.printed) {
    throw new Error(
      `the export '${name}' of ${platform().filePath(spec.module)} builds another model than the function passed as the model ` +
        `(a function of that name that the module does not export): ${String(model)} instead of ${passed.printed}. ` +
        'Export the function itself, or pass { module, export } naming a module that exports it',
    );
  }
  checkModelBuffers(model, `model module '${spec.module}': ${name}()`);
  return model;
}
