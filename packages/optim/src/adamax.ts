import type { FloatArray } from '@loom/core';
import { checkSlices, noScalars, type OptimizerDescriptor, zeroInit } from './descriptor.js';
import { FunctionalOptimizer } from './functional-optimizer.js';
import type { OptimizerArgs, Params } from './optimizer.js';
import { checkBetas, checkNonNegative } from './validation.js';

/** Adamax's options (PyTorch's names, camelCased). */
export interface AdamaxOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
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

/**
 * Adamax (Kingma & Ba, 2015, §7.1), PyTorch 1.13's arithmetic:
 *
 *     g ← ±∇f (+ λθ)      m ← β₁m + (1−β₁)g      u ← max(β₂u, |g| + ε)
 *     θ ← θ − (lr / (1−β₁ᵗ)) · m / u
 */
export function adamaxUpdate(param: FloatArray, grad: FloatArray, state: AdamaxState, hyper: AdamaxHyper, step: number): void {
  checkSlices('adamaxUpdate', param, grad, state);
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

/** Adamax's checks, in PyTorch's order. */
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
  countsSteps: true,
  tensorScalars: true,
  scalarNames: [],
  initScalars: noScalars,
  hyper: ({ lr, betas, eps, weightDecay, maximize }) => ({ lr, betas: [betas[0], betas[1]], eps, weightDecay, maximize }),
  stateBuffers: () => ['expAvg', 'expInf'],
  initState: zeroInit,
  update: adamaxUpdate,
};

/** Adamax, as `torch.optim.Adamax`. */
export class Adamax extends FunctionalOptimizer<AdamaxOptions, AdamaxHyper, AdamaxState> {
  constructor(params: Params<AdamaxOptions>, ...args: OptimizerArgs<AdamaxOptions>) {
    super(params, args, adamaxDescriptor);
  }
}
