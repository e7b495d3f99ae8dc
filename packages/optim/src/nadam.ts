import type { FloatArray } from '@loom/core';
import { type OptimizerDescriptor, type ScalarState, zeroInit } from './descriptor.js';
import { checkUpdate, type UpdateSpec } from './update-checks.js';
import { FunctionalOptimizer } from './functional-optimizer.js';
import type { OptimizerArgs, Params } from './optimizer.js';
import { checkBetas, checkNonNegative } from './validation.js';

/** NAdam's options (PyTorch 1.13's: no `maximize`, no decoupled weight decay). */
export interface NAdamOptions {
  /** Learning rate. Default 2e-3. */
  lr: number;
  /** Decay rates of the running averages of the gradient and of its square, each in [0, 1). Default [0.9, 0.999]. */
  betas: [number, number];
  /** Added to the denominator for numerical stability. Default 1e-8. */
  eps: number;
  /** L2 penalty: `weightDecay·θ` is added to the gradient. Default 0. */
  weightDecay: number;
  /** ψ of the momentum schedule μₜ = β₁(1 − ½·0.96^(t·ψ)). Default 4e-3. */
  momentumDecay: number;
}

/**
 * NAdam's hyperparameters for one update: its options, this step's momentum coefficients μₜ
 * and μₜ₊₁, the product Πμ₁..ₜ, and what PyTorch 1.13 uses as the next product: Πμ₁..ₜ·μₜ·μₜ₊₁
 * (μₜ counted twice, as there).
 */
export interface NAdamHyper extends NAdamOptions {
  mu: number;
  muNext: number;
  muProduct: number;
  muProductNext: number;
}

/** NAdam's per-element state: first and second moments. */
export interface NAdamState {
  expAvg: FloatArray;
  expAvgSq: FloatArray;
}

/** PyTorch's defaults. */
export const NADAM_DEFAULTS: Readonly<NAdamOptions> = { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3 };

/** What NAdam's update reads, checked once per call. */
const NADAM_UPDATE: UpdateSpec<NAdamHyper> = {
  kinds: {
    lr: 'number',
    betas: 'pair',
    eps: 'number',
    weightDecay: 'number',
    momentumDecay: 'number',
    mu: 'number',
    muNext: 'number',
    muProduct: 'number',
    muProductNext: 'number',
  },
  buffers: () => ['expAvg', 'expAvgSq'],
  countsSteps: true,
};

/**
 * NAdam (Dozat, 2016), PyTorch 1.13's arithmetic, with μₜ = β₁(1 − ½·0.96^(t·ψ)):
 *
 *     g ← ∇f (+ λθ)      m ← β₁m + (1−β₁)g      v ← β₂v + (1−β₂)g²
 *     d ← √(v / (1−β₂ᵗ)) + ε
 *     θ ← θ − lr(1−μₜ)/(1−Πμ₁..ₜ) · g/d − lr·μₜ₊₁/(1−Πμ₁..ₜ·μₜ·μₜ₊₁) · m/d
 * @param param - the parameter's values, a flat float32 or float64 vector or any slice of one; updated in place
 * @param grad - the gradient, of `param`'s length (else a RangeError); read only. NAdam 1.13 has no `maximize`
 * @param state - `expAvg` and `expAvgSq` (m and v), each of `param`'s length; updated in place
 * @param hyper - the group's options (see {@link NAdamOptions}) with this step's `mu`, `muNext`, `muProduct` and
 *   `muProductNext`, as the descriptor's `hyper` computes them
 * @param step - 1-based count of this parameter's updates, this one included (t of the bias correction 1 − β₂ᵗ)
 */
export function nadamUpdate(param: FloatArray, grad: FloatArray, state: NAdamState, hyper: NAdamHyper, step: number): void {
  checkUpdate('nadamUpdate', param, grad, state, hyper, step, NADAM_UPDATE);
  const { expAvg, expAvgSq } = state;
  const [beta1, beta2] = hyper.betas;
  const { lr, eps, weightDecay, mu, muNext, muProduct, muProductNext } = hyper;
  const bc2 = 1 - beta2 ** step;
  const gradScale = (-lr * (1 - mu)) / (1 - muProduct);
  const avgScale = (-lr * muNext) / (1 - muProductNext);
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
    const denom = Math.sqrt(v / bc2) + eps;
    param[i] = p + (gradScale * g) / denom + (avgScale * m) / denom;
  }
}

/** The hyperparameters of step `step`; advances `muProduct` through it. */
function nadamHyper(options: NAdamOptions, scalars: ScalarState, step: number): NAdamHyper {
  const { lr, betas, eps, weightDecay, momentumDecay } = options;
  const beta1 = betas[0];
  const mu = beta1 * (1 - 0.5 * 0.96 ** (step * momentumDecay));
  const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * momentumDecay));
  const muProduct = scalars.muProduct! * mu;
  scalars.muProduct = muProduct;
  return {
    lr,
    betas: [betas[0], betas[1]],
    eps,
    weightDecay,
    momentumDecay,
    mu,
    muNext,
    muProduct,
    muProductNext: muProduct * mu * muNext,
  };
}

/**
 * NAdam's checks, in PyTorch's order.
 * @param o - options as given; those left `undefined` (to the defaults) are skipped. `lr`, `eps`, `weightDecay` and `momentumDecay` must
 *   be ≥ 0 and each beta in [0, 1) (NaN fails)
 */
export function validateNAdam(o: Partial<NAdamOptions>): void {
  checkNonNegative(o.lr, 'learning rate');
  checkNonNegative(o.eps, 'epsilon value');
  checkBetas(o.betas);
  checkNonNegative(o.weightDecay, 'weight_decay value');
  checkNonNegative(o.momentumDecay, 'momentum_decay value');
}

/** NAdam without its class, for the data-parallel trainer. */
export const nadamDescriptor: OptimizerDescriptor<NAdamOptions, NAdamHyper, NAdamState> = {
  name: 'NAdam',
  defaults: NADAM_DEFAULTS,
  validate: validateNAdam,
  sparse: 'refuse',
  countsSteps: NADAM_UPDATE.countsSteps,
  tensorScalars: true,
  scalarNames: ['muProduct'],
  initScalars: () => ({ muProduct: 1 }),
  hyper: nadamHyper,
  stateBuffers: NADAM_UPDATE.buffers,
  initState: zeroInit,
  update: nadamUpdate,
};

/** NAdam, as `torch.optim.NAdam` (1.13). */
export class NAdam extends FunctionalOptimizer<NAdamOptions, NAdamHyper, NAdamState> {
  /**
   * Checks the options as PyTorch does (an invalid or unknown one throws, naming it) and builds the parameter groups.
   * @param params - the tensors to optimize (one group), or parameter groups `{ params, ...options }` whose options
   *   override the defaults; leaf tensors only, each in one group
   * @param args - PyTorch's positional `lr`, then an options object (see {@link NAdamOptions}), both optional; unknown keys throw
   */
  constructor(params: Params<NAdamOptions>, ...args: OptimizerArgs<NAdamOptions>) {
    super(params, args, nadamDescriptor);
  }
}
