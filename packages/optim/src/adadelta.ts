import type { FloatArray } from '@loom/core';
import { noScalars, type OptimizerDescriptor, zeroInit } from './descriptor.js';
import { checkUpdate, type UpdateSpec } from './update-checks.js';
import { FunctionalOptimizer } from './functional-optimizer.js';
import type { OptimizerArgs, Params } from './optimizer.js';
import { pyFloat } from './python-format.js';
import { checkNonNegative } from './validation.js';

/** Adadelta's options (PyTorch's names, camelCased). */
export interface AdadeltaOptions {
  /** Coefficient that scales Δ before it is applied. Default 1. */
  lr: number;
  /** Decay rate of the running averages, in [0, 1]. Default 0.9. */
  rho: number;
  /** Added inside the square roots for numerical stability. Default 1e-6. */
  eps: number;
  /** L2 penalty: `weightDecay·θ` is added to the gradient. Default 0. */
  weightDecay: number;
  /** Maximize the objective: the gradient's sign is flipped. Default false. */
  maximize: boolean;
}

/** Adadelta's hyperparameters for one update: its options. */
export type AdadeltaHyper = AdadeltaOptions;

/** Adadelta's per-element state: running averages of squared gradients and of squared updates. */
export interface AdadeltaState {
  squareAvg: FloatArray;
  accDelta: FloatArray;
}

/** PyTorch's defaults. */
export const ADADELTA_DEFAULTS: Readonly<AdadeltaOptions> = { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false };

/** What Adadelta's update reads, checked once per call. */
const ADADELTA_UPDATE: UpdateSpec<AdadeltaHyper> = {
  kinds: { lr: 'number', rho: 'number', eps: 'number', weightDecay: 'number', maximize: 'flag' },
  buffers: () => ['squareAvg', 'accDelta'],
  countsSteps: true,
};

/**
 * Adadelta (Zeiler, 2012), PyTorch 1.13's arithmetic:
 *
 *     g ← ±∇f (+ λθ)             v ← ρv + (1−ρ)g²
 *     Δ ← √(u + ε) / √(v + ε) · g      u ← ρu + (1−ρ)Δ²      θ ← θ − lr·Δ
 * @param param - the parameter's values, a flat float32 or float64 vector or any slice of one; updated in place
 * @param grad - the gradient, of `param`'s length (else a RangeError); read only
 * @param state - `squareAvg` (v, the running average of g²) and `accDelta` (u, of Δ²), each of `param`'s length; updated in place
 * @param hyper - the group's options, see {@link AdadeltaOptions}
 * @param step - the 1-based count of this parameter's updates, checked but not read: Adadelta has no bias correction (the class still counts steps, as PyTorch)
 */
export function adadeltaUpdate(param: FloatArray, grad: FloatArray, state: AdadeltaState, hyper: AdadeltaHyper, step: number): void {
  checkUpdate('adadeltaUpdate', param, grad, state, hyper, step, ADADELTA_UPDATE);
  const { squareAvg, accDelta } = state;
  const { rho, eps, weightDecay, maximize } = hyper;
  const negLr = -hyper.lr;
  const oneMinusRho = 1 - rho;
  for (let i = 0; i < param.length; i++) {
    const p = param[i]!;
    let g = maximize ? -grad[i]! : grad[i]!;
    if (weightDecay !== 0) g = g + weightDecay * p;
    const v = squareAvg[i]! * rho + oneMinusRho * g * g;
    squareAvg[i] = v;
    const std = Math.sqrt(v + eps);
    const delta = (Math.sqrt(accDelta[i]! + eps) / std) * g;
    accDelta[i] = accDelta[i]! * rho + oneMinusRho * delta * delta;
    param[i] = p + negLr * delta;
  }
}

/**
 * Adadelta's checks, in PyTorch's order.
 * @param o - options as given; those left `undefined` (to the defaults) are skipped. `lr`, `eps` and `weightDecay` must be ≥ 0 and `rho`
 *   in [0, 1] (NaN fails)
 */
export function validateAdadelta(o: Partial<AdadeltaOptions>): void {
  checkNonNegative(o.lr, 'learning rate');
  if (o.rho !== undefined && !(0 <= o.rho && o.rho <= 1)) throw new RangeError(`Invalid rho value: ${pyFloat(o.rho)}`);
  checkNonNegative(o.eps, 'epsilon value');
  checkNonNegative(o.weightDecay, 'weight_decay value');
}

/** Adadelta without its class, for the data-parallel trainer. */
export const adadeltaDescriptor: OptimizerDescriptor<AdadeltaOptions, AdadeltaHyper, AdadeltaState> = {
  name: 'Adadelta',
  defaults: ADADELTA_DEFAULTS,
  validate: validateAdadelta,
  sparse: 'refuse',
  countsSteps: ADADELTA_UPDATE.countsSteps,
  tensorScalars: false,
  scalarNames: [],
  initScalars: noScalars,
  hyper: ({ lr, rho, eps, weightDecay, maximize }) => ({ lr, rho, eps, weightDecay, maximize }),
  stateBuffers: ADADELTA_UPDATE.buffers,
  initState: zeroInit,
  update: adadeltaUpdate,
};

/** Adadelta, as `torch.optim.Adadelta`. */
export class Adadelta extends FunctionalOptimizer<AdadeltaOptions, AdadeltaHyper, AdadeltaState> {
  /**
   * Checks the options as PyTorch does (an invalid or unknown one throws, naming it) and builds the parameter groups.
   * @param params - the tensors to optimize (one group), or parameter groups `{ params, ...options }` whose options
   *   override the defaults; leaf tensors only, each in one group
   * @param args - PyTorch's positional `lr`, then an options object (see {@link AdadeltaOptions}), both optional; unknown keys throw
   */
  constructor(params: Params<AdadeltaOptions>, ...args: OptimizerArgs<AdadeltaOptions>) {
    super(params, args, adadeltaDescriptor);
  }
}
