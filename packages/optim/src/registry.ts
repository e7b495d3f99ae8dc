import { formatValue, isOptionsObject } from '@loom/core';
import { Adadelta, adadeltaDescriptor, type AdadeltaOptions } from './adadelta.js';
import { Adagrad, adagradDescriptor, type AdagradOptions } from './adagrad.js';
import { Adam, adamDescriptor, type AdamOptions } from './adam.js';
import { Adamax, adamaxDescriptor, type AdamaxOptions } from './adamax.js';
import { AdamW, adamwDescriptor, type AdamWOptions } from './adamw.js';
import { ASGD, asgdDescriptor, type ASGDOptions } from './asgd.js';
import { LBFGS, type LBFGSOptions } from './lbfgs.js';
import { NAdam, nadamDescriptor, type NAdamOptions } from './nadam.js';
import type { Optimizer, OptimizerOptions, Params } from './optimizer.js';
import { RAdam, radamDescriptor, type RAdamOptions } from './radam.js';
import { RMSprop, rmspropDescriptor, type RMSpropOptions } from './rmsprop.js';
import { Rprop, rpropDescriptor, type RpropOptions } from './rprop.js';
import { SGD, sgdDescriptor, type SGDOptions } from './sgd.js';
import { SparseAdam, sparseAdamDescriptor, type SparseAdamOptions } from './sparse-adam.js';

/** Each optimizer's options, keyed by class name. */
export interface OptimizerOptionsByName {
  SGD: SGDOptions;
  ASGD: ASGDOptions;
  Adagrad: AdagradOptions;
  Adadelta: AdadeltaOptions;
  RMSprop: RMSpropOptions;
  Adam: AdamOptions;
  AdamW: AdamWOptions;
  Adamax: AdamaxOptions;
  NAdam: NAdamOptions;
  RAdam: RAdamOptions;
  SparseAdam: SparseAdamOptions;
  Rprop: RpropOptions;
  LBFGS: LBFGSOptions;
}

/** The class name of every optimizer ('Adam', 'LBFGS', …). */
export type OptimizerName = keyof OptimizerOptionsByName;

type Constructor<O extends OptimizerOptions> = new (params: Params<O>, options?: Partial<O>) => Optimizer<O>;

const classes: { [K in OptimizerName]: Constructor<OptimizerOptionsByName[K]> } = {
  SGD,
  ASGD,
  Adagrad,
  Adadelta,
  RMSprop,
  Adam,
  AdamW,
  Adamax,
  NAdam,
  RAdam,
  SparseAdam,
  Rprop,
  LBFGS,
};

/**
 * The descriptor (pure update, state layout, hyperparameters) of every optimizer that updates
 * elementwise, keyed by class name: all but LBFGS, which needs whole-vector dot products.
 */
export const optimizerDescriptors = {
  SGD: sgdDescriptor,
  ASGD: asgdDescriptor,
  Adagrad: adagradDescriptor,
  Adadelta: adadeltaDescriptor,
  RMSprop: rmspropDescriptor,
  Adam: adamDescriptor,
  AdamW: adamwDescriptor,
  Adamax: adamaxDescriptor,
  NAdam: nadamDescriptor,
  RAdam: radamDescriptor,
  SparseAdam: sparseAdamDescriptor,
  Rprop: rpropDescriptor,
} as const;

/** The class names `optimizerDescriptors` holds. */
export type ElementwiseOptimizerName = keyof typeof optimizerDescriptors;

/**
 * Whether `name` is an optimizer's class name.
 * @param name - a class name as PyTorch spells it ('Adam', 'RMSprop'); case-sensitive, 'adam' is not one
 */
export function isOptimizerName(name: string): name is OptimizerName {
  return Object.hasOwn(classes, name);
}

/**
 * Builds an optimizer from its class name and options, as the CLI and trainer do from JSON:
 * `createOptimizer('Adam', model.parameters(), { lr: 1e-3 })`.
 * @param name - the class name ('SGD', 'Adam', 'LBFGS', …); an unknown one throws, listing the known names
 * @param params - the tensors to optimize, or parameter groups `{ params, ...options }`
 * @param options - the class's options (see {@link OptimizerOptionsByName}); default `{}`: PyTorch's defaults,
 *   though SGD needs `lr`; unknown keys throw
 */
export function createOptimizer<K extends OptimizerName>(
  name: K,
  params: Params<OptimizerOptionsByName[K]>,
  options: Partial<OptimizerOptionsByName[K]> = {},
): Optimizer<OptimizerOptionsByName[K]> {
  if (!isOptimizerName(name)) {
    throw new RangeError(`createOptimizer: unknown optimizer '${String(name)}' (known: ${Object.keys(classes).join(', ')})`);
  }
  // The classes also take a positional lr there; from a name, options come as an object only.
  if (!isOptionsObject(options)) throw new TypeError(`createOptimizer: ${name}'s options must be an object, got ${formatValue(options)}`);
  const Class = classes[name] as Constructor<OptimizerOptionsByName[K]>;
  return new Class(params, options);
}
