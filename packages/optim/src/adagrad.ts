import { adagradKernel, type FloatArray } from '@loom/core';
import { noScalars, type OptimizerDescriptor } from './descriptor.js';
import { checkUpdate, type UpdateSpec } from './update-checks.js';
import { FunctionalOptimizer } from './functional-optimizer.js';
import type { OptimizerArgs, Params } from './optimizer.js';
import { checkNonNegative } from './validation.js';

/** Adagrad's options (PyTorch's names, camelCased). */
export interface AdagradOptions {
  /** Learning rate. Default 1e-2. */
  lr: number;
  /** The lr of step t is lr / (1 + (t − 1)·lrDecay). Default 0. */
  lrDecay: number;
  /** L2 penalty: `weightDecay·θ` is added to the gradient. Default 0. Refused with sparse gradients. */
  weightDecay: number;
  /** Initial value of the sum of squared gradients. Default 0. */
  initialAccumulatorValue: number;
  /** Added to the denominator for numerical stability. Default 1e-10. */
  eps: number;
  /** Maximize the objective: the gradient's sign is flipped. Default false. */
  maximize: boolean;
}

/** Adagrad's hyperparameters for one update: its options. */
export type AdagradHyper = AdagradOptions;

/** Adagrad's per-element state: the sum of squared gradients. */
export interface AdagradState {
  sum: FloatArray;
}

/** PyTorch's defaults. */
export const ADAGRAD_DEFAULTS: Readonly<AdagradOptions> = {
  lr: 1e-2,
  lrDecay: 0,
  weightDecay: 0,
  initialAccumulatorValue: 0,
  eps: 1e-10,
  maximize: false,
};

/** What Adagrad's update reads, checked once per call. */
const ADAGRAD_UPDATE: UpdateSpec<AdagradHyper> = {
  kinds: { lr: 'number', lrDecay: 'number', weightDecay: 'number', initialAccumulatorValue: 'number', eps: 'number', maximize: 'flag' },
  buffers: () => ['sum'],
  countsSteps: true,
};

/**
 * Adagrad (Duchi et al., 2011), PyTorch 1.13's arithmetic:
 *
 *     g ← ±∇f (+ λθ)      clr ← lr / (1 + (t−1)·lr_decay)
 *     s ← s + g²          θ ← θ − clr · g / (√s + ε)
 * @param param - the parameter's values, a flat float32 or float64 vector or any slice of one; updated in place
 * @param grad - the gradient, of `param`'s length (else a RangeError); read only
 * @param state - `sum`, the running sum of squared gradients (it starts at `initialAccumulatorValue`), of `param`'s length; updated in
 *   place
 * @param hyper - the group's options, see {@link AdagradOptions}
 * @param step - 1-based count of this parameter's updates, this one included; only the lr decay uses it
 */
export function adagradUpdate(param: FloatArray, grad: FloatArray, state: AdagradState, hyper: AdagradHyper, step: number): void {
  checkUpdate('adagradUpdate', param, grad, state, hyper, step, ADAGRAD_UPDATE);
  const { sum } = state;
  const { weightDecay, eps, maximize } = hyper;
  if (param instanceof Float32Array && adagradKernel.backendFor('float32') === 'wasm') {
    adagradKernel.select('float32')(param, grad, sum, step, hyper);
    return;
  }
  const negClr = -(hyper.lr / (1 + (step - 1) * hyper.lrDecay));
  for (let i = 0; i < param.length; i++) {
    const p = param[i]!;
    let g = maximize ? -grad[i]! : grad[i]!;
    if (weightDecay !== 0) g = g + weightDecay * p;
    const s = sum[i]! + g * g;
    sum[i] = s;
    const std = Math.sqrt(s) + eps;
    param[i] = p + (negClr * g) / std;
  }
}

/**
 * Adagrad's checks, in PyTorch's order.
 * @param o - options as given; those left `undefined` (to the defaults) are skipped. `lr`, `lrDecay`, `weightDecay`,
 *   `initialAccumulatorValue` and `eps` must be ≥ 0 (NaN fails)
 */
export function validateAdagrad(o: Partial<AdagradOptions>): void {
  checkNonNegative(o.lr, 'learning rate');
  checkNonNegative(o.lrDecay, 'lr_decay value');
  checkNonNegative(o.weightDecay, 'weight_decay value');
  checkNonNegative(o.initialAccumulatorValue, 'initial_accumulator_value value');
  checkNonNegative(o.eps, 'epsilon value');
}

/** Adagrad without its class, for the data-parallel trainer. */
export const adagradDescriptor: OptimizerDescriptor<AdagradOptions, AdagradHyper, AdagradState> = {
  name: 'Adagrad',
  defaults: ADAGRAD_DEFAULTS,
  validate: validateAdagrad,
  sparse: 'rows',
  checkSparse: (group) => {
    if (group.weightDecay !== 0) throw new TypeError('weight_decay option is not compatible with sparse gradients');
  },
  countsSteps: ADAGRAD_UPDATE.countsSteps,
  tensorScalars: true,
  scalarNames: [],
  initScalars: noScalars,
  hyper: ({ lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize }) => ({
    lr,
    lrDecay,
    weightDecay,
    initialAccumulatorValue,
    eps,
    maximize,
  }),
  stateBuffers: ADAGRAD_UPDATE.buffers,
  initState: (_buffer, hyper) => hyper.initialAccumulatorValue,
  update: adagradUpdate,
};

/**
 * Adagrad, as `torch.optim.Adagrad`. As there, state is created in the constructor, and row-sparse
 * gradients update only their rows (weight decay is refused with them).
 */
export class Adagrad extends FunctionalOptimizer<AdagradOptions, AdagradHyper, AdagradState> {
  /**
   * Checks the options as PyTorch does (an invalid or unknown one throws, naming it) and builds the parameter groups, then the `sum`
   * state of every parameter.
   * @param params - the tensors to optimize (one group), or parameter groups `{ params, ...options }` whose options
   *   override the defaults; leaf tensors only, each in one group
   * @param args - PyTorch's positional `lr`, then an options object (see {@link AdagradOptions}), both optional; unknown keys throw
   */
  constructor(params: Params<AdagradOptions>, ...args: OptimizerArgs<AdagradOptions>) {
    super(params, args, adagradDescriptor);
    for (const group of this.paramGroups) for (const p of group.params) this.ensureState(p, group);
  }
}
