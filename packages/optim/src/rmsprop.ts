import { type FloatArray, rmspropKernel } from '@loom/core';
import { noScalars, type OptimizerDescriptor, zeroInit } from './descriptor.js';
import { checkUpdate, type UpdateSpec } from './update-checks.js';
import { FunctionalOptimizer } from './functional-optimizer.js';
import type { OptimizerArgs, Params } from './optimizer.js';
import { checkNonNegative } from './validation.js';

/** RMSprop's options (PyTorch's names, camelCased). */
export interface RMSpropOptions {
  /** Learning rate. Default 1e-2. */
  lr: number;
  /** Smoothing constant of the running averages. */
  alpha: number;
  /** Added to the denominator for numerical stability. Default 1e-8. */
  eps: number;
  /** L2 penalty: `weightDecay·θ` is added to the gradient. Default 0. */
  weightDecay: number;
  /** Momentum factor; 0 (default) keeps no momentum buffer. */
  momentum: number;
  /** Normalize by the estimated variance of the gradient (keeps a `gradAvg` buffer). Default false. */
  centered: boolean;
  /** Maximize the objective: the gradient's sign is flipped. Default false. */
  maximize: boolean;
}

/** RMSprop's hyperparameters for one update: its options. */
export type RMSpropHyper = RMSpropOptions;

/** RMSprop's per-element state: the squared-gradient average, plus the optional ones. */
export interface RMSpropState {
  squareAvg: FloatArray;
  /** With `momentum > 0`. */
  momentumBuffer?: FloatArray;
  /** With `centered`. */
  gradAvg?: FloatArray;
}

/** PyTorch's defaults. */
export const RMSPROP_DEFAULTS: Readonly<RMSpropOptions> = {
  lr: 1e-2,
  alpha: 0.99,
  eps: 1e-8,
  weightDecay: 0,
  momentum: 0,
  centered: false,
  maximize: false,
};

/** What RMSprop's update reads, checked once per call. */
const RMSPROP_UPDATE: UpdateSpec<RMSpropHyper> = {
  kinds: { lr: 'number', alpha: 'number', eps: 'number', weightDecay: 'number', momentum: 'number', centered: 'flag', maximize: 'flag' },
  buffers: rmspropBuffers,
  countsSteps: true,
};

/**
 * RMSprop (Hinton, lecture 6e), PyTorch 1.13's arithmetic:
 *
 *     g ← ±∇f (+ λθ)      v ← αv + (1−α)g²
 *     centered: ḡ ← αḡ + (1−α)g,  d ← √(v − ḡ²) + ε;   else d ← √v + ε
 *     momentum μ > 0: b ← μb + g/d,  θ ← θ − lr·b;      else θ ← θ − lr·g/d
 * @param param - the parameter's values, a flat float32 or float64 vector or any slice of one; updated in place
 * @param grad - the gradient, of `param`'s length (else a RangeError); read only
 * @param state - `squareAvg` always, `momentumBuffer` when `hyper.momentum > 0` and `gradAvg` when `hyper.centered`
 *   (a TypeError when one is missing), each of `param`'s length; updated in place
 * @param hyper - the group's options, see {@link RMSpropOptions}
 * @param step - the 1-based count of this parameter's updates, checked but not read: RMSprop has no bias correction (the class still counts steps, as PyTorch)
 */
export function rmspropUpdate(param: FloatArray, grad: FloatArray, state: RMSpropState, hyper: RMSpropHyper, step: number): void {
  checkUpdate('rmspropUpdate', param, grad, state, hyper, step, RMSPROP_UPDATE);
  const { squareAvg, momentumBuffer: buf, gradAvg } = state;
  const { alpha, eps, weightDecay, momentum, centered, maximize } = hyper;
  if (momentum > 0 && buf === undefined) throw new TypeError("rmspropUpdate: momentum needs the state buffer 'momentumBuffer'");
  if (centered && gradAvg === undefined) throw new TypeError("rmspropUpdate: centered needs the state buffer 'gradAvg'");
  // float32 slices go to the SIMD kernel (float32 arithmetic; the same for any slicing).
  if (param instanceof Float32Array && rmspropKernel.backendFor('float32') === 'wasm') {
    rmspropKernel.select('float32')(param, grad, squareAvg, centered ? gradAvg! : null, momentum > 0 ? buf! : null, hyper);
    return;
  }
  const negLr = -hyper.lr;
  const oneMinusAlpha = 1 - alpha;
  for (let i = 0; i < param.length; i++) {
    const p = param[i]!;
    let g = maximize ? -grad[i]! : grad[i]!;
    if (weightDecay !== 0) g = g + weightDecay * p;
    const v = squareAvg[i]! * alpha + oneMinusAlpha * g * g;
    squareAvg[i] = v;
    let avg: number;
    if (centered) {
      const mean = gradAvg![i]! * alpha + oneMinusAlpha * g;
      gradAvg![i] = mean;
      avg = Math.sqrt(v - mean * mean) + eps;
    } else {
      avg = Math.sqrt(v) + eps;
    }
    if (momentum > 0) {
      const b = buf![i]! * momentum + g / avg;
      buf![i] = b;
      param[i] = p + negLr * b;
    } else {
      param[i] = p + (negLr * g) / avg;
    }
  }
}

/**
 * RMSprop's checks, in PyTorch's order.
 * @param o - options as given; those left `undefined` (to the defaults) are skipped. `lr`, `eps`, `momentum`, `weightDecay` and `alpha`
 *   must be ≥ 0 (NaN fails)
 */
export function validateRMSprop(o: Partial<RMSpropOptions>): void {
  checkNonNegative(o.lr, 'learning rate');
  checkNonNegative(o.eps, 'epsilon value');
  checkNonNegative(o.momentum, 'momentum value');
  checkNonNegative(o.weightDecay, 'weight_decay value');
  checkNonNegative(o.alpha, 'alpha value');
}

/** The buffers these options need, in PyTorch's order. */
function rmspropBuffers(hyper: RMSpropHyper): string[] {
  const names = ['squareAvg'];
  if (hyper.momentum > 0) names.push('momentumBuffer');
  if (hyper.centered) names.push('gradAvg');
  return names;
}

/** RMSprop without its class, for the data-parallel trainer. */
export const rmspropDescriptor: OptimizerDescriptor<RMSpropOptions, RMSpropHyper, RMSpropState> = {
  name: 'RMSprop',
  defaults: RMSPROP_DEFAULTS,
  validate: validateRMSprop,
  sparse: 'refuse',
  countsSteps: RMSPROP_UPDATE.countsSteps,
  tensorScalars: false,
  scalarNames: [],
  initScalars: noScalars,
  hyper: ({ lr, alpha, eps, weightDecay, momentum, centered, maximize }) => ({ lr, alpha, eps, weightDecay, momentum, centered, maximize }),
  stateBuffers: RMSPROP_UPDATE.buffers,
  initState: zeroInit,
  update: rmspropUpdate,
};

/** RMSprop, as `torch.optim.RMSprop`. */
export class RMSprop extends FunctionalOptimizer<RMSpropOptions, RMSpropHyper, RMSpropState> {
  /**
   * Checks the options as PyTorch does (an invalid or unknown one throws, naming it) and builds the parameter groups.
   * @param params - the tensors to optimize (one group), or parameter groups `{ params, ...options }` whose options
   *   override the defaults; leaf tensors only, each in one group
   * @param args - PyTorch's positional `lr`, then an options object (see {@link RMSpropOptions}), both optional; unknown keys throw
   */
  constructor(params: Params<RMSpropOptions>, ...args: OptimizerArgs<RMSpropOptions>) {
    super(params, args, rmspropDescriptor);
  }
}
