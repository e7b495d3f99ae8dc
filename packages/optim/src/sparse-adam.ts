import type { FloatArray } from '@loom/core';
import { noScalars, type OptimizerDescriptor, zeroInit } from './descriptor.js';
import { checkUpdate, type UpdateSpec } from './update-checks.js';
import { FunctionalOptimizer } from './functional-optimizer.js';
import type { OptimizerArgs, Params } from './optimizer.js';
import { checkBetas, checkPositive } from './validation.js';

/** SparseAdam's options (PyTorch's names, camelCased). */
export interface SparseAdamOptions {
  /** Learning rate, > 0. Default 1e-3. */
  lr: number;
  /** Decay rates of the running averages of the gradient and of its square, each in [0, 1). Default [0.9, 0.999]. */
  betas: [number, number];
  /** Added to the denominator for numerical stability, > 0. Default 1e-8. */
  eps: number;
  /** Maximize the objective: the gradient's sign is flipped. Default false. */
  maximize: boolean;
}

/** SparseAdam's hyperparameters for one update: its options. */
export type SparseAdamHyper = SparseAdamOptions;

/** SparseAdam's per-element state: first and second moments. */
export interface SparseAdamState {
  expAvg: FloatArray;
  expAvgSq: FloatArray;
}

/** PyTorch's defaults. */
export const SPARSE_ADAM_DEFAULTS: Readonly<SparseAdamOptions> = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, maximize: false };

/** What SparseAdam's update reads, checked once per call. */
const SPARSE_ADAM_UPDATE: UpdateSpec<SparseAdamHyper> = {
  kinds: { lr: 'number', betas: 'pair', eps: 'number', maximize: 'flag' },
  buffers: () => ['expAvg', 'expAvgSq'],
  countsSteps: true,
};

/**
 * SparseAdam's update of the rows a sparse gradient holds (the class calls it once per row of the
 * coalesced gradient; rows it does not hold keep their parameters and moments), in PyTorch
 * 1.13's arithmetic:
 *
 *     g ← ±∇f      m ← m + (g − m)(1−β₁)      v ← v + (g² − v)(1−β₂)
 *     θ ← θ − (lr·√(1−β₂ᵗ)/(1−β₁ᵗ)) · m / (√v + ε)
 * @param param - the parameter's values, float32 or float64: one row the gradient holds, or any flat slice; updated in place
 * @param grad - that row's gradient values, of `param`'s length (else a RangeError); read only
 * @param state - `expAvg` and `expAvgSq` (m and v) of the same elements, each of `param`'s length; updated in place
 * @param hyper - the group's options, see {@link SparseAdamOptions}
 * @param step - 1-based count of the parameter's updates (one per `step()` with a gradient, not per row): t of the bias corrections
 */
export function sparseAdamUpdate(param: FloatArray, grad: FloatArray, state: SparseAdamState, hyper: SparseAdamHyper, step: number): void {
  checkUpdate('sparseAdamUpdate', param, grad, state, hyper, step, SPARSE_ADAM_UPDATE);
  const { expAvg, expAvgSq } = state;
  const [beta1, beta2] = hyper.betas;
  const { eps, maximize } = hyper;
  const negStepSize = -((hyper.lr * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step));
  const oneMinusBeta1 = 1 - beta1;
  const oneMinusBeta2 = 1 - beta2;
  for (let i = 0; i < param.length; i++) {
    const g = maximize ? -grad[i]! : grad[i]!;
    const oldAvg = expAvg[i]!;
    const m = oldAvg + (g - oldAvg) * oneMinusBeta1;
    expAvg[i] = m;
    const oldSq = expAvgSq[i]!;
    const v = oldSq + (g * g - oldSq) * oneMinusBeta2;
    expAvgSq[i] = v;
    param[i] = param[i]! + negStepSize * (m / (Math.sqrt(v) + eps));
  }
}

/**
 * SparseAdam's checks, in PyTorch's order.
 * @param o - options as given; those left `undefined` (to the defaults) are skipped. `lr` and `eps` must be > 0 and each beta in [0, 1)
 *   (NaN fails)
 */
export function validateSparseAdam(o: Partial<SparseAdamOptions>): void {
  checkPositive(o.lr, 'learning rate');
  checkPositive(o.eps, 'epsilon value');
  checkBetas(o.betas);
}

/** SparseAdam without its class, for the data-parallel trainer. */
export const sparseAdamDescriptor: OptimizerDescriptor<SparseAdamOptions, SparseAdamHyper, SparseAdamState> = {
  name: 'SparseAdam',
  defaults: SPARSE_ADAM_DEFAULTS,
  validate: validateSparseAdam,
  sparse: 'only',
  sparseMessage: 'SparseAdam does not support dense gradients, please consider Adam instead',
  countsSteps: SPARSE_ADAM_UPDATE.countsSteps,
  tensorScalars: false,
  scalarNames: [],
  initScalars: noScalars,
  hyper: ({ lr, betas, eps, maximize }) => ({ lr, betas: [betas[0], betas[1]], eps, maximize }),
  stateBuffers: SPARSE_ADAM_UPDATE.buffers,
  initState: zeroInit,
  update: sparseAdamUpdate,
};

/**
 * SparseAdam, as `torch.optim.SparseAdam`: Adam for the row-sparse gradients of
 * `Embedding({ sparse: true })`, updating only the rows a step's gradient touches.
 */
export class SparseAdam extends FunctionalOptimizer<SparseAdamOptions, SparseAdamHyper, SparseAdamState> {
  /**
   * Checks the options as PyTorch does (an invalid or unknown one throws, naming it) and builds the parameter groups; `step()` then
   * refuses dense gradients.
   * @param params - the tensors to optimize (one group), or parameter groups `{ params, ...options }` whose options
   *   override the defaults; leaf tensors only, each in one group
   * @param args - PyTorch's positional `lr`, then an options object (see {@link SparseAdamOptions}), both optional; unknown keys throw
   */
  constructor(params: Params<SparseAdamOptions>, ...args: OptimizerArgs<SparseAdamOptions>) {
    super(params, args, sparseAdamDescriptor);
  }
}
