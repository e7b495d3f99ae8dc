import type { FloatArray } from '@loom/core';
import { noScalars, type OptimizerDescriptor } from './descriptor.js';
import { checkUpdate, type UpdateSpec } from './update-checks.js';
import { FunctionalOptimizer } from './functional-optimizer.js';
import type { OptimizerArgs, Params } from './optimizer.js';
import { pyFloat } from './python-format.js';
import { checkNonNegative } from './validation.js';

/** Rprop's options (PyTorch's names, camelCased). */
export interface RpropOptions {
  /** Initial step size of every element. Default 1e-2. */
  lr: number;
  /** Multiplicative decrease and increase factors (etaminus, etaplus). */
  etas: [number, number];
  /** Minimal and maximal step sizes. */
  stepSizes: [number, number];
  /** Maximize the objective: the gradient's sign is flipped. Default false. */
  maximize: boolean;
}

/** Rprop's hyperparameters for one update: its options. */
export type RpropHyper = RpropOptions;

/** Rprop's per-element state: the previous (masked) gradient and the step sizes. */
export interface RpropState {
  prev: FloatArray;
  stepSize: FloatArray;
}

/** PyTorch's defaults. */
export const RPROP_DEFAULTS: Readonly<RpropOptions> = { lr: 1e-2, etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false };

/** What Rprop's update reads, checked once per call. */
const RPROP_UPDATE: UpdateSpec<RpropHyper> = {
  kinds: { lr: 'number', etas: 'pair', stepSizes: 'pair', maximize: 'flag' },
  buffers: () => ['prev', 'stepSize'],
  countsSteps: true,
};

/**
 * Rprop (Riedmiller & Braun, 1993), PyTorch 1.13's arithmetic:
 *
 *     g ← ±∇f      s ← sign(g·prev)
 *     step ← clamp(step · (η₊ if s > 0, η₋ if s < 0, else 1), stepMin, stepMax)
 *     g ← 0 where s < 0      θ ← θ − sign(g)·step      prev ← g
 * @param param - the parameter's values, a flat float32 or float64 vector or any slice of one; updated in place
 * @param grad - the gradient, of `param`'s length (else a RangeError); read only
 * @param state - `prev` (the previous gradient, zeroed where its sign flipped) and `stepSize` (per-element steps, which
 *   start at the lr), each of `param`'s length; updated in place
 * @param hyper - the group's options (see {@link RpropOptions}); `lr` is not read here, it only sets the initial step sizes
 * @param step - the 1-based count of this parameter's updates, checked but not read: Rprop's steps depend on the sign history only (the class still counts steps, as PyTorch)
 */
export function rpropUpdate(param: FloatArray, grad: FloatArray, state: RpropState, hyper: RpropHyper, step: number): void {
  checkUpdate('rpropUpdate', param, grad, state, hyper, step, RPROP_UPDATE);
  const { prev, stepSize } = state;
  const [etaminus, etaplus] = hyper.etas;
  const [stepMin, stepMax] = hyper.stepSizes;
  const maximize = hyper.maximize;
  for (let i = 0; i < param.length; i++) {
    let g = maximize ? -grad[i]! : grad[i]!;
    const product = g * prev[i]!;
    const factor = product > 0 ? etaplus : product < 0 ? etaminus : 1;
    const size = Math.min(Math.max(stepSize[i]! * factor, stepMin), stepMax);
    stepSize[i] = size;
    if (product < 0) g = 0;
    param[i] = param[i]! - Math.sign(g) * size;
    prev[i] = g;
  }
}

/**
 * Rprop's checks, in PyTorch's order.
 * @param o - options as given; those left `undefined` (to the defaults) are skipped. `lr` must be ≥ 0 and `etas` satisfy 0 < etaminus < 1
 *   < etaplus (NaN fails); `stepSizes` is not checked, as in PyTorch
 */
export function validateRprop(o: Partial<RpropOptions>): void {
  checkNonNegative(o.lr, 'learning rate');
  const etas = o.etas;
  if (etas !== undefined && !(0 < etas[0] && etas[0] < 1 && 1 < etas[1])) {
    throw new RangeError(`Invalid eta values: ${pyFloat(etas[0])}, ${pyFloat(etas[1])}`);
  }
}

/** Rprop without its class, for the data-parallel trainer. */
export const rpropDescriptor: OptimizerDescriptor<RpropOptions, RpropHyper, RpropState> = {
  name: 'Rprop',
  defaults: RPROP_DEFAULTS,
  validate: validateRprop,
  sparse: 'refuse',
  countsSteps: RPROP_UPDATE.countsSteps,
  tensorScalars: false,
  scalarNames: [],
  initScalars: noScalars,
  hyper: ({ lr, etas, stepSizes, maximize }) => ({ lr, etas: [etas[0], etas[1]], stepSizes: [stepSizes[0], stepSizes[1]], maximize }),
  stateBuffers: RPROP_UPDATE.buffers,
  // Step sizes start at the lr in effect when the state is created.
  initState: (buffer, hyper) => (buffer === 'stepSize' ? hyper.lr : 0),
  update: rpropUpdate,
};

/** Rprop, as `torch.optim.Rprop`. */
export class Rprop extends FunctionalOptimizer<RpropOptions, RpropHyper, RpropState> {
  /**
   * Checks the options as PyTorch does (an invalid or unknown one throws, naming it) and builds the parameter groups.
   * @param params - the tensors to optimize (one group), or parameter groups `{ params, ...options }` whose options
   *   override the defaults; leaf tensors only, each in one group
   * @param args - PyTorch's positional `lr`, then an options object (see {@link RpropOptions}), both optional; unknown keys throw
   */
  constructor(params: Params<RpropOptions>, ...args: OptimizerArgs<RpropOptions>) {
    super(params, args, rpropDescriptor);
  }
}
