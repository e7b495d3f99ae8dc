import type { FloatArray } from '@loom/core';
import { noScalars, type OptimizerDescriptor, zeroInit } from './descriptor.js';
import { checkUpdate, type UpdateSpec } from './update-checks.js';
import { FunctionalOptimizer } from './functional-optimizer.js';
import type { OptimizerArgs, Params } from './optimizer.js';
import { checkBetas, checkNonNegative } from './validation.js';

/** Adamax's options (PyTorch's names, camelCased). */
export interface AdamaxOptions {
  /** Learning rate. Default 2e-3. */
  lr: number;
  /** Decay rates of the first moment and of the infinity norm, each in [0, 1). Default [0.9, 0.999]. */
  betas: [number, number];
  /** Added to |g| inside the infinity norm, for numerical stability. Default 1e-8. */
  eps: number;
  /** L2 penalty: `weightDecay·θ` is added to the gradient. Default 0. */
  weightDecay: number;
  /** Maximize the objective: the gradient's sign is flipped. Default false. */
  maximize: boolean;
}

/** Adamax's hyperparameters for one update: its options. */
export type AdamaxHyper = AdamaxOptions;

/** Adamax's per-element state: first moment and exponentially weighted infinity norm. */
export interface AdamaxState {
  expAvg: FloatArray;
  expInf: FloatArray;
}

/** PyTorch's defaults. */
export const ADAMAX_DEFAULTS: Readonly<AdamaxOptions> = { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false };

/** What Adamax's update reads, checked once per call. */
const ADAMAX_UPDATE: UpdateSpec<AdamaxHyper> = {
  kinds: { lr: 'number', betas: 'pair', eps: 'number', weightDecay: 'number', maximize: 'flag' },
  buffers: () => ['expAvg', 'expInf'],
  countsSteps: true,
};

/**
 * Adamax (Kingma & Ba, 2015, §7.1), PyTorch 1.13's arithmetic:
 *
 *     g ← ±∇f (+ λθ)      m ← β₁m + (1−β₁)g      u ← max(β₂u, |g| + ε)
 *     θ ← θ − (lr / (1−β₁ᵗ)) · m / u
 * @param param - the parameter's values, a flat float32 or float64 vector or any slice of one; updated in place
 * @param grad - the gradient, of `param`'s length (else a RangeError); read only
 * @param state - `expAvg` (m) and `expInf` (u, the weighted infinity norm), each of `param`'s length; updated in place
 * @param hyper - the group's options, see {@link AdamaxOptions}
 * @param step - 1-based count of this parameter's updates, this one included (t of the bias correction 1 − β₁ᵗ)
 */
export function adamaxUpdate(param: FloatArray, grad: FloatArray, state: AdamaxState, hyper: AdamaxHyper, step: number): void {
  checkUpdate('adamaxUpdate', param, grad, state, hyper, step, ADAMAX_UPDATE);
  const { expAvg, expInf } = state;
  const [beta1, beta2] = hyper.betas;
  const { eps, weightDecay, maximize } = hyper;
  const negClr = -(hyper.lr / (1 - beta1 ** step));
  const oneMinusBeta1 = 1 - beta1;
  for (let i = 0; i < param.length; i++) {
    const p = param[i]!;
    let g = maximize ? -grad[i]! : grad[i]!;
    if (weightDecay !== 0) g = g + weightDecay * p;
    const m = expAvg[i]! * beta1 + oneMinusBeta1 * g;
    expAvg[i] = m;
    // PyTorch's amax over the stacked pair propagates NaN, as Math.max does.
    const u = Math.max(expInf[i]! * beta2, Math.abs(g) + eps);
    expInf[i] = u;
    param[i] = p + (negClr * m) / u;
  }
}

/**
 * Adamax's checks, in PyTorch's order.
 * @param o - options as given; those left `undefined` (to the defaults) are skipped. `lr`, `eps` and `weightDecay` must be ≥ 0 and each
 *   beta in [0, 1) (NaN fails)
 */
export function validateAdamax(o: Partial<AdamaxOptions>): void {
  checkNonNegative(o.lr, 'learning rate');
  checkNonNegative(o.eps, 'epsilon value');
  checkBetas(o.betas);
  checkNonNegative(o.weightDecay, 'weight_decay value');
}

/** Adamax without its class, for the data-parallel trainer. */
export const adamaxDescriptor: OptimizerDescriptor<AdamaxOptions, AdamaxHyper, AdamaxState> = {
  name: 'Adamax',
  defaults: ADAMAX_DEFAULTS,
  validate: validateAdamax,
  sparse: 'refuse',
  countsSteps: ADAMAX_UPDATE.countsSteps,
  tensorScalars: true,
  scalarNames: [],
  initScalars: noScalars,
  hyper: ({ lr, betas, eps, weightDecay, maximize }) => ({ lr, betas: [betas[0], betas[1]], eps, weightDecay, maximize }),
  stateBuffers: ADAMAX_UPDATE.buffers,
  initState: zeroInit,
  update: adamaxUpdate,
};

/** Adamax, as `torch.optim.Adamax`. */
export class Adamax extends FunctionalOptimizer<AdamaxOptions, AdamaxHyper, AdamaxState> {
  /**
   * Checks the options as PyTorch does (an invalid or unknown one throws, naming it) and builds the parameter groups.
   * @param params - the tensors to optimize (one group), or parameter groups `{ params, ...options }` whose options
   *   override the defaults; leaf tensors only, each in one group
   * @param args - PyTorch's positional `lr`, then an options object (see {@link AdamaxOptions}), both optional; unknown keys throw
   */
  constructor(params: Params<AdamaxOptions>, ...args: OptimizerArgs<AdamaxOptions>) {
    super(params, args, adamaxDescriptor);
  }
}
