import { Module } from '@loom/core';
import { moduleUrl } from '../models/build.js';
import { platform } from '../platform/platform.js';
import type { ModelFactory, ModelSpec } from './options.js';

/** This package's code (dist/ or src/), as a URL: stack frames inside it are the trainer's own, not its caller's. */
const CODE_URL = new URL('..', import.meta.url).href;

/** A stack frame's file as a URL (ESM frames are URLs already; CommonJS ones absolute paths), or null for anything else. */
function frameUrl(name: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) return name;
  return /^(\/|[a-zA-Z]:[\\/])/.test(name) ? platform().moduleUrl(name) : null;
}

/** Set in a trainer's worker threads: a trainer created there would start workers of its own, and so on. */
let insideTrainerWorker = false;

/** Marks this thread as one of a trainer's workers (called once, before it imports any model module). */
export function markTrainerWorker(): void {
  insideTrainerWorker = true;
}

/**
 * The file URL of the module whose code is creating the trainer: the first stack frame outside
 * this package. Null when it cannot be told (code evaluated from a string, a REPL).
 */
export function callerModuleUrl(): string | null {
  const saved = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_error, frames) => frames;
    // V8's structured frames (Node, Chromium); elsewhere the caller cannot be told.
    const frames = new Error().stack as unknown;
    if (!Array.isArray(frames)) return null;
    for (const frame of frames as NodeJS.CallSite[]) {
      const name = frame.getFileName();
      if (!name || name.startsWith('node:')) continue;
      const url = frameUrl(name);
      if (url === null || url.startsWith(CODE_URL)) continue;
      return url;
    }
    return null;
  } finally {
    Error.prepareStackTrace = saved;
  }
}

/** How the trainer builds its model: the spec the workers get, and the factory the main thread calls (factory form only). */
export interface ModelOrigin {
  spec: ModelSpec;
  factory: ModelFactory | null;
}

/**
 * What `TrainerOptions.model` describes, made absolute: a module spec's relative path resolved
 * from `caller` (the module creating the trainer), and a factory function turned into
 * `{ module: caller, export: factory.name }`, which the workers import (the main thread calls the
 * function itself). A Module instance, an anonymous function, and a factory of the entry script or
 * of an unknown module are refused, saying what to pass instead.
 */
export function resolveModelOrigin(model: unknown, caller: string | null): ModelOrigin {
  if (insideTrainerWorker) {
    throw new Error(
      "DataParallelTrainer: created in one of a trainer's worker threads, while it imported the model factory's module " +
        'to build its replica: that module creates a trainer when it is imported (or calls code that does). Create the trainer ' +
        'in a function the module only exports, or put the factory in a module of its own and pass ' +
        "{ module: './model.mjs', export: 'createModel' }",
    );
  }
  if (model instanceof Module) {
    throw new TypeError(
      'DataParallelTrainer: model must say how to build the model, not be one: every worker thread builds a replica of its own, ' +
        'and a Module cannot cross threads. Pass the factory function that creates it (exported by the module that creates ' +
        "the trainer), or { module: './model.mjs', export: 'createModel', args? }",
    );
  }
  if (typeof model === 'function') return { spec: factorySpec(model as ModelFactory, caller), factory: model as ModelFactory };
  if (model !== null && typeof model === 'object' && typeof (model as { module?: unknown }).module === 'string') {
    const spec = model as Extract<ModelSpec, { module: string }>;
    return { spec: { ...spec, module: moduleUrl(spec.module, caller) }, factory: null };
  }
  return { spec: model as ModelSpec, factory: null };
}

function factorySpec(factory: ModelFactory, caller: string | null): ModelSpec {
  const name = factory.name;
  const relative = caller === null ? 'an absolute path' : 'a path relative to the calling module';
  const instead = (exportName: string): string => `pass { module: './model.mjs', export: '${exportName}' } (${relative})`;
  if (name === '' || name.includes(' ')) {
    throw new TypeError(
      `DataParallelTrainer: the model factory is ${name === '' ? 'anonymous' : `'${name}'`}; the worker threads find a factory ` +
        'by its name among the exports of the module that creates the trainer. Pass a named function that module exports ' +
        `(export function createModel() { … }), or ${instead('createModel')}`,
    );
  }
  if (caller === null) {
    throw new TypeError(
      `DataParallelTrainer: cannot tell which module created the trainer (code evaluated from a string or a REPL), so the worker ` +
        `threads cannot import ${name}(): ${instead(name)}`,
    );
  }
  const entry = typeof process === 'undefined' ? undefined : process.argv[1];
  if (entry !== undefined && platform().moduleUrl(entry) === caller) {
    throw new TypeError(
      `DataParallelTrainer: the model factory ${name}() was passed from the entry script ${platform().filePath(caller)}; the worker ` +
        `threads would import that script to find it, which runs it again. Put ${name}() in a module of its own (export it ` +
        `there) and ${instead(name)}`,
    );
  }
  return { module: caller, export: name };
}
