import { checkOptions, optionKeys } from '@loom/core';
import type { ModelSpec } from '../trainer/options.js';

/** The nonlinearities `createMlp` puts between its Linear layers. */
export const MLP_ACTIVATIONS = ['relu', 'tanh', 'gelu'] as const;

type BuiltinSpec<B> = Extract<ModelSpec, { builtin: B }>;

/** The keys of each form of model spec, keyed by its builtin name ('module' for a user's module); the compiler keeps them equal to ModelSpec. */
const MODEL_SPEC_KEYS = {
  mlp: optionKeys<BuiltinSpec<'mlp'>>({ builtin: true, sizes: true, activation: true }),
  cnn: optionKeys<BuiltinSpec<'cnn'>>({ builtin: true, inputShape: true, numClasses: true }),
  'cnn-bn': optionKeys<BuiltinSpec<'cnn-bn'>>({ builtin: true, inputShape: true, numClasses: true }),
  'char-transformer': optionKeys<BuiltinSpec<'char-transformer'>>({
    builtin: true,
    vocabSize: true,
    contextLength: true,
    dModel: true,
    nhead: true,
    numLayers: true,
    dimFeedforward: true,
    dropout: true,
  }),
  module: optionKeys<Extract<ModelSpec, { module: string }>>({ module: true, export: true, args: true }),
};

/**
 * Throws on a builtin name that does not exist or a key the model spec's form does not have
 * ({ builtin: 'mlp', size: … }).
 * @param owner - what the error names ('DataParallelTrainer', 'createBuiltinModel')
 * @param spec - the model spec as given
 */
export function checkModelSpec(owner: string, given: object): void {
  const spec = given as Record<string, unknown>;
  const form = typeof spec['module'] === 'string' ? 'module' : String(spec['builtin']);
  if (!Object.hasOwn(MODEL_SPEC_KEYS, form)) {
    const builtins = Object.keys(MODEL_SPEC_KEYS).filter((k) => k !== 'module');
    throw new TypeError(`${owner}: model.builtin must be one of ${builtins.join(', ')}, got ${JSON.stringify(spec['builtin'])}`);
  }
  checkOptions(`${owner}: model (${form})`, spec, MODEL_SPEC_KEYS[form as keyof typeof MODEL_SPEC_KEYS]);
}

function shown(value: unknown): string {
  return typeof value === 'string' || (typeof value === 'object' && value !== null) ? JSON.stringify(value) : String(value);
}

/**
 * Throws unless `inputShape` is [C, H, W] of positive integers; returns it.
 * @param owner - the factory named in the error
 * @param inputShape - the shape of one image as given
 */
export function checkInputShape(owner: string, inputShape: unknown): readonly [number, number, number] {
  const ok = Array.isArray(inputShape) && inputShape.length === 3 && inputShape.every((d) => Number.isInteger(d) && (d as number) >= 1);
  if (!ok) throw new RangeError(`${owner}: inputShape must be [C, H, W], three positive integers, got ${shown(inputShape)}`);
  return inputShape as [number, number, number];
}

/**
 * Throws unless `numClasses` is a positive integer; returns it.
 * @param owner - the factory named in the error
 * @param numClasses - the number of outputs as given
 */
export function checkNumClasses(owner: string, numClasses: unknown): number {
  if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses < 1) {
    throw new RangeError(`${owner}: numClasses must be a positive integer, got ${shown(numClasses)}`);
  }
  return numClasses;
}

/**
 * Throws unless `sizes` is a list of at least two positive integers; returns it.
 * @param owner - the factory named in the error
 * @param sizes - the layer widths as given
 */
export function checkSizes(owner: string, sizes: unknown): readonly number[] {
  const ok = Array.isArray(sizes) && sizes.length >= 2 && sizes.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 1);
  if (!ok) throw new RangeError(`${owner}: sizes must be at least two positive integers [in, hidden…, out], got ${shown(sizes)}`);
  return sizes as number[];
}

/**
 * Throws unless `activation` is one of {@link MLP_ACTIVATIONS}; returns it.
 * @param owner - the factory named in the error
 * @param activation - the activation's name as given
 */
export function checkActivation(owner: string, activation: unknown): (typeof MLP_ACTIVATIONS)[number] {
  if (!MLP_ACTIVATIONS.includes(activation as (typeof MLP_ACTIVATIONS)[number])) {
    throw new TypeError(`${owner}: activation must be one of ${MLP_ACTIVATIONS.join(', ')}, got ${shown(activation)}`);
  }
  return activation as (typeof MLP_ACTIVATIONS)[number];
}
