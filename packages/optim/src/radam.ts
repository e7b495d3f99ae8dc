import type { FloatArray } from '@loom/core';
import { noScalars, type OptimizerDescriptor, zeroInit } from './descriptor.js';
import { checkUpdate, type UpdateSpec } from './update-checks.js';
import { FunctionalOptimizer } from './functional-optimizer.js';
import type { OptimizerArgs, Params } from './optimizer.js';
import { checkBetas, checkNonNegative } from './validation.js';

/** RAdam's options (PyTorch 1.13's: no `maximize`, no decoupled weight decay). */
export interface RAdamOptions {
  /** Learning rate. Default 1e-3. */
  lr: number;
  /** Decay rates of the running averages of the gradient and of its square, each in [0, 1). Default [0.9, 0.999]. */
  betas: [number, number];
  /** Added to the denominator for numerical stability. Default 1e-8. */
  eps: number;
  /** L2 penalty: `weightDecay·θ` is added to the gradient. Default 0. */
  weightDecay: number;
}

/** RAdam's hyperparameters for one update: its options. */
export type RAdamHyper = RAdamOptions;

/** RAdam's per-element state: first and second moments. */
export interface RAdamState {
  expAvg: FloatArray;
  expAvgSq: FloatArray;
}

/** PyTorch's defaults. */
export const RADAM_DEFAULTS: Readonly<RAdamOptions> = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 };

/** What RAdam's update reads, checked once per call. */
const RADAM_UPDATE: UpdateSpec<RAdamHyper> = {
  kinds: { lr: 'number', betas: 'pair', eps: 'number', weightDecay: 'number' },
  buffers: () => ['expAvg', 'expAvgSq'],
  countsSteps: true,
};

/**
 * RAdam (Liu et al., 2020), PyTorch 1.13's arithmetic, with ρ∞ = 2/(1−β₂) − 1 and
 * ρₜ = ρ∞ − 2tβ₂ᵗ/(1−β₂ᵗ):
 *
 *     g ← ∇f (+ λθ)      m ← β₁m + (1−β₁)g      v ← β₂v + (1−β₂)g²      m̂ ← m/(1−β₁ᵗ)
 *     ρₜ > 5: θ ← θ − m̂·lr·(√(1−β₂ᵗ)/(√v + ε))·r,  r = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ))
 *     else:   θ ← θ − m̂·lr
 * @param param - the parameter's values, a flat float32 or float64 vector or any slice of one; updated in place
 * @param grad - the gradient, of `param`'s length (else a RangeError); read only. RAdam 1.13 has no `maximize`
 * @param state - `expAvg` and `expAvgSq` (m and v), each of `param`'s length; updated in place
 * @param hyper - the group's options, see {@link RAdamOptions}
 * @param step - 1-based count of this parameter's updates, this one included: t of the bias corrections and of ρₜ
 */
export function radamUpdate(param: FloatArray, grad: FloatArray, state: RAdamState, hyper: RAdamHyper, step: number): void {
  checkUpdate('radamUpdate', param, grad, state, hyper, step, RADAM_UPDATE);
  const { expAvg, expAvgSq } = state;
  const [beta1, beta2] = hyper.betas;
  const { lr, eps, weightDecay } = hyper;
  const bc1 = 1 - beta1 ** step;
  const bc2 = 1 - beta2 ** step;
  const rhoInf = 2 / (1 - beta2) - 1;
  const rhoT = rhoInf - (2 * step * beta2 ** step) / bc2;
  const rectified = rhoT > 5;
  const rect = rectified ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
  const bc2Sqrt = Math.sqrt(bc2);
  const oneMinusBeta1 = 1 - beta1;
  const oneMinusBeta2 = 1 - beta2;
  for (let i = 0; i < param.length; i++) {
    const p = param[i]!;
    let g = grad[i]!;
    if (weightDecay !== 0) g = g + weightDecay * p;
    const m = expAvg[i]! * beta1 + oneMinusBeta1 * g;
    const v = expAvgSq[i]! * beta2 + oneMinusBeta2 * g * g;
    expAvg[i] = m;
    expAvgSq[i] = v;
    const corrected = m / bc1;
    if (rectified) {
      const adaptiveLr = bc2Sqrt / (Math.sqrt(v) + eps);
      param[i] = p - corrected * lr * adaptiveLr * rect;
    } else {
      param[i] = p - corrected * lr;
    }
  }
}

/**
 * RAdam's checks, in PyTorch's order.
 * @param o - options as given; those left `undefined` (to the defaults) are skipped. `lr`, `eps` and `weightDecay` must be ≥ 0 and each
 *   beta in [0, 1) (NaN fails)
 */
export function validateRAdam(o: Partial<RAdamOptions>): void {
  checkNonNegative(o.lr, 'learning rate');
  checkNonNegative(o.eps, 'epsilon value');
  checkBetas(o.betas);
  checkNonNegative(o.weightDecay, 'weight_decay value');
}

/** RAdam without its class, for the data-parallel trainer. */
export const radamDescriptor: OptimizerDescriptor<RAdamOptions, RAdamHyper, RAdamState> = {
  name: 'RAdam',
  defaults: RADAM_DEFAULTS,
  validate: validateRAdam,
  sparse: 'refuse',
  countsSteps: RADAM_UPDATE.countsSteps,
  tensorScalars: true,
  scalarNames: [],
  initScalars: noScalars,
  hyper: ({ lr, betas, eps, weightDecay }) => ({ lr, betas: [betas[0], betas[1]], eps, weightDecay }),
  stateBuffers: RADAM_UPDATE.buffers,
  initState: zeroInit,
  update: radamUpdate,
};

/** RAdam, as `torch.optim.RAdam` (1.13). */
export class RAdam extends FunctionalOptimizer<RAdamOptions, RAdamHyper, RAdamState> {
  /**
   * Checks the options as PyTorch does (an invalid or unknown one throws, naming it) and builds the parameter groups.
   * @param params - the tensors to optimize (one group), or parameter groups `{ params, ...options }` whose options
   *   override the defaults; leaf tensors only, each in one group
   * @param args - PyTorch's positional `lr`, then an options object (see {@link RAdamOptions}), both optional; unknown keys throw
   */
  constructor(params: Params<RAdamOptions>, ...args: OptimizerArgs<RAdamOptions>) {
    super(params, args, radamDescriptor);
  }
}
