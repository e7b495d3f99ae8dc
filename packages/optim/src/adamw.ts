import type { FloatArray } from '@loom/core';
import { ADAM_DEFAULTS, adamBuffers, adamFamilyUpdate, type AdamOptions, type AdamState, validateAdam } from './adam.js';
import { noScalars, type OptimizerDescriptor, zeroInit } from './descriptor.js';
import { FunctionalOptimizer } from './functional-optimizer.js';
import type { OptimizerArgs, Params } from './optimizer.js';

/** AdamW's options: Adam's, with `weightDecay` decoupled from the gradient. */
export type AdamWOptions = AdamOptions;

/** AdamW's hyperparameters for one update: its options. */
export type AdamWHyper = AdamWOptions;

/** AdamW's per-element state: Adam's. */
export type AdamWState = AdamState;

/** PyTorch's defaults (weight decay 1e-2, unlike Adam's 0). */
export const ADAMW_DEFAULTS: Readonly<AdamWOptions> = { ...ADAM_DEFAULTS, weightDecay: 1e-2 };

/**
 * AdamW (Loshchilov & Hutter, 2019): Adam with decoupled weight decay, PyTorch 1.13's order:
 *
 *     θ ← θ · (1 − lr·λ)      then Adam's moments and step on the undecayed gradient
 * @param param - the parameter's values, a flat float32 or float64 vector or any slice of one; updated in place
 * @param grad - the gradient, of `param`'s length (else a RangeError); read only
 * @param state - `expAvg` and `expAvgSq` (m and v), plus `maxExpAvgSq` (v̂) when `hyper.amsgrad` (else a TypeError),
 *   each of `param`'s length; updated in place
 * @param hyper - the group's options, see {@link AdamWOptions}; `weightDecay` is the decoupled decay λ
 * @param step - 1-based count of this parameter's updates, this one included (t of the bias corrections; 0 divides by zero)
 */
export function adamwUpdate(param: FloatArray, grad: FloatArray, state: AdamWState, hyper: AdamWHyper, step: number): void {
  adamFamilyUpdate('adamwUpdate', param, grad, state, hyper, step, 0, 1 - hyper.lr * hyper.weightDecay);
}

/** AdamW without its class, for the data-parallel trainer. */
export const adamwDescriptor: OptimizerDescriptor<AdamWOptions, AdamWHyper, AdamWState> = {
  name: 'AdamW',
  defaults: ADAMW_DEFAULTS,
  validate: validateAdam,
  sparse: 'refuse',
  countsSteps: true,
  tensorScalars: true,
  scalarNames: [],
  initScalars: noScalars,
  hyper: ({ lr, betas, eps, weightDecay, amsgrad, maximize }) => ({ lr, betas: [betas[0], betas[1]], eps, weightDecay, amsgrad, maximize }),
  stateBuffers: adamBuffers,
  initState: zeroInit,
  update: adamwUpdate,
};

/** AdamW, as `torch.optim.AdamW`. */
export class AdamW extends FunctionalOptimizer<AdamWOptions, AdamWHyper, AdamWState> {
  /**
   * Checks the options as PyTorch does (an invalid or unknown one throws, naming it) and builds the parameter groups.
   * @param params - the tensors to optimize (one group), or parameter groups `{ params, ...options }` whose options
   *   override the defaults; leaf tensors only, each in one group
   * @param args - PyTorch's positional `lr`, then an options object (see {@link AdamWOptions}), both optional; unknown keys throw
   */
  constructor(params: Params<AdamWOptions>, ...args: OptimizerArgs<AdamWOptions>) {
    super(params, args, adamwDescriptor);
  }
}
