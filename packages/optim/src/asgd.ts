import type { FloatArray } from '@loom/core';
import { type OptimizerDescriptor, type ScalarState, zeroInit } from './descriptor.js';
import { checkUpdate, type UpdateSpec } from './update-checks.js';
import { FunctionalOptimizer } from './functional-optimizer.js';
import type { OptimizerArgs, Params } from './optimizer.js';
import { checkNonNegative } from './validation.js';

/** ASGD's options (PyTorch's names, camelCased). */
export interface ASGDOptions {
  /** Learning rate. Default 1e-2. */
  lr: number;
  /** Decay term. */
  lambd: number;
  /** Power of the eta schedule. */
  alpha: number;
  /** Step at which averaging starts. */
  t0: number;
  /** L2 penalty: `weightDecay·θ` is added to the gradient. Default 0. */
  weightDecay: number;
  /** Maximize the objective: the gradient's sign is flipped. Default false. */
  maximize: boolean;
}

/** ASGD's hyperparameters for one update: its options and this step's `eta` and `mu`. */
export interface ASGDHyper extends ASGDOptions {
  eta: number;
  mu: number;
}

/** ASGD's per-element state: the averaged parameters. */
export interface ASGDState {
  ax: FloatArray;
}

/** PyTorch's defaults. */
export const ASGD_DEFAULTS: Readonly<ASGDOptions> = { lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, maximize: false };

/** What ASGD's update reads, checked once per call. */
const ASGD_UPDATE: UpdateSpec<ASGDHyper> = {
  kinds: {
    lr: 'number',
    lambd: 'number',
    alpha: 'number',
    t0: 'number',
    weightDecay: 'number',
    maximize: 'flag',
    eta: 'number',
    mu: 'number',
  },
  buffers: () => ['ax'],
  countsSteps: true,
};

/**
 * Averaged SGD (Polyak & Juditsky, 1992), PyTorch 1.13's arithmetic, with `eta` and `mu` the
 * scalar state before this step:
 *
 *     g ← ±∇f (+ λθ)      θ ← θ(1 − lambd·η) − η·g
 *     ax ← θ if μ = 1, else ax + μ(θ − ax)
 * @param param - the parameter's values, a flat float32 or float64 vector or any slice of one; updated in place
 * @param grad - the gradient, of `param`'s length (else a RangeError); read only
 * @param state - `ax`, the averaged parameters, of `param`'s length: copied from θ while μ is 1 (until just after step `t0`), averaged
 *   after
 * @param hyper - the group's options (see {@link ASGDOptions}) with `eta` and `mu`, the scalar state before this step
 * @param step - the 1-based count of this parameter's updates, checked but not read: the step count enters through `hyper.eta` and `hyper.mu`
 */
export function asgdUpdate(param: FloatArray, grad: FloatArray, state: ASGDState, hyper: ASGDHyper, step: number): void {
  checkUpdate('asgdUpdate', param, grad, state, hyper, step, ASGD_UPDATE);
  const { ax } = state;
  const { weightDecay, maximize, eta, mu } = hyper;
  const decay = 1 - hyper.lambd * eta;
  const negEta = -eta;
  for (let i = 0; i < param.length; i++) {
    const p = param[i]!;
    let g = maximize ? -grad[i]! : grad[i]!;
    if (weightDecay !== 0) g = g + weightDecay * p;
    const next = p * decay + negEta * g;
    param[i] = next;
    const a = ax[i]!;
    ax[i] = mu !== 1 ? a + (next - a) * mu : next;
  }
}

/** The hyperparameters of step `step`; advances eta and mu to their values after it. */
function asgdHyper(options: ASGDOptions, scalars: ScalarState, step: number): ASGDHyper {
  const { lr, lambd, alpha, t0, weightDecay, maximize } = options;
  const hyper = { lr, lambd, alpha, t0, weightDecay, maximize, eta: scalars.eta!, mu: scalars.mu! };
  scalars.eta = lr / (1 + lambd * lr * step) ** alpha;
  scalars.mu = 1 / Math.max(1, step - t0);
  return hyper;
}

/**
 * ASGD's checks, in PyTorch's order.
 * @param o - options as given; those left `undefined` (to the defaults) are skipped. `lr` and `weightDecay` must be ≥ 0 (NaN fails)
 */
export function validateASGD(o: Partial<ASGDOptions>): void {
  checkNonNegative(o.lr, 'learning rate');
  checkNonNegative(o.weightDecay, 'weight_decay value');
}

/** ASGD without its class, for the data-parallel trainer. */
export const asgdDescriptor: OptimizerDescriptor<ASGDOptions, ASGDHyper, ASGDState> = {
  name: 'ASGD',
  defaults: ASGD_DEFAULTS,
  validate: validateASGD,
  sparse: 'refuse',
  countsSteps: ASGD_UPDATE.countsSteps,
  tensorScalars: true,
  scalarNames: ['eta', 'mu'],
  initScalars: (options) => ({ eta: options.lr, mu: 1 }),
  hyper: asgdHyper,
  stateBuffers: ASGD_UPDATE.buffers,
  initState: zeroInit,
  update: asgdUpdate,
};

/** Averaged stochastic gradient descent, as `torch.optim.ASGD`; `state.get(p).ax` is the average. */
export class ASGD extends FunctionalOptimizer<ASGDOptions, ASGDHyper, ASGDState> {
  /**
   * Checks the options as PyTorch does (an invalid or unknown one throws, naming it) and builds the parameter groups.
   * @param params - the tensors to optimize (one group), or parameter groups `{ params, ...options }` whose options
   *   override the defaults; leaf tensors only, each in one group
   * @param args - PyTorch's positional `lr`, then an options object (see {@link ASGDOptions}), both optional; unknown keys throw
   */
  constructor(params: Params<ASGDOptions>, ...args: OptimizerArgs<ASGDOptions>) {
    super(params, args, asgdDescriptor);
  }
}
