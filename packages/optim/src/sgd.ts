import { type FloatArray, sgdKernel } from '@loom/core';
import { noScalars, type OptimizerDescriptor, zeroInit } from './descriptor.js';
import { checkUpdate, type UpdateSpec } from './update-checks.js';
import { FunctionalOptimizer } from './functional-optimizer.js';
import type { OptimizerArgs, Params } from './optimizer.js';
import { checkNotNegative } from './validation.js';

/** SGD's options (PyTorch's names, camelCased); `lr` has no default. */
export interface SGDOptions {
  /** Learning rate; required (no default). */
  lr: number;
  /** Momentum factor μ; 0 (default) keeps no momentum buffer. */
  momentum: number;
  /** Dampening τ of the momentum: the gradient enters the buffer times 1 − τ. Default 0. */
  dampening: number;
  /** L2 penalty: `weightDecay·θ` is added to the gradient. Default 0. */
  weightDecay: number;
  /** Nesterov momentum; needs `momentum > 0` and `dampening` 0. Default false. */
  nesterov: boolean;
  /** Maximize the objective: the gradient's sign is flipped. Default false. */
  maximize: boolean;
}

/** SGD's hyperparameters for one update: its options. */
export type SGDHyper = SGDOptions;

/** SGD's per-element state: the momentum buffer, present when `momentum` is not 0. */
export interface SGDState {
  momentumBuffer?: FloatArray;
}

/** PyTorch's defaults; `lr` must be given. */
export const SGD_DEFAULTS: Readonly<Omit<SGDOptions, 'lr'>> = {
  momentum: 0,
  dampening: 0,
  weightDecay: 0,
  nesterov: false,
  maximize: false,
};

/** What SGD's update reads, checked once per call. */
const SGD_UPDATE: UpdateSpec<SGDHyper> = {
  kinds: { lr: 'number', momentum: 'number', dampening: 'number', weightDecay: 'number', nesterov: 'flag', maximize: 'flag' },
  buffers: (hyper) => (hyper.momentum !== 0 ? ['momentumBuffer'] : []),
  countsSteps: false,
};

/**
 * Stochastic gradient descent with optional (Nesterov) momentum, PyTorch 1.13's arithmetic:
 *
 *     g ← ±∇f (+ λθ)
 *     b ← g on the first step, else μb + (1−τ)g        (with momentum μ ≠ 0)
 *     g ← g + μb with Nesterov, else b
 *     θ ← θ − lr·g
 *
 * SGD keeps no step count; `step === 1` only says that the momentum buffer is new.
 * @param param - the parameter's values, a flat float32 or float64 vector or any slice of one; updated in place
 * @param grad - the gradient, of `param`'s length (else a RangeError); read only
 * @param state - `momentumBuffer`, of `param`'s length, required when `hyper.momentum` is not 0 (else a TypeError); updated in place
 * @param hyper - the group's options, see {@link SGDOptions}
 * @param step - 1 when the momentum buffer is new (it then takes the gradient as it is, undamped), any other value after
 */
export function sgdUpdate(param: FloatArray, grad: FloatArray, state: SGDState, hyper: SGDHyper, step: number): void {
  checkUpdate('sgdUpdate', param, grad, state, hyper, step, SGD_UPDATE);
  const { momentum, dampening, weightDecay, nesterov, maximize } = hyper;
  const negLr = -hyper.lr;
  const buf = state.momentumBuffer;
  if (momentum !== 0 && buf === undefined) throw new TypeError("sgdUpdate: momentum needs the state buffer 'momentumBuffer'");
  const first = step === 1;
  if (param instanceof Float32Array && sgdKernel.backendFor('float32') === 'wasm') {
    sgdKernel.select('float32')(param, grad, momentum !== 0 ? buf! : null, first, hyper);
    return;
  }
  const oneMinusDampening = 1 - dampening;
  for (let i = 0; i < param.length; i++) {
    const p = param[i]!;
    let g = maximize ? -grad[i]! : grad[i]!;
    if (weightDecay !== 0) g = g + weightDecay * p;
    if (momentum !== 0) {
      const b = first ? g : buf![i]! * momentum + oneMinusDampening * g;
      buf![i] = b;
      g = nesterov ? g + momentum * b : b;
    }
    param[i] = p + negLr * g;
  }
}

/**
 * SGD's checks, in PyTorch's order.
 * @param o - options as given; those left `undefined` (to the defaults) are skipped. `lr`, `momentum` and `weightDecay` must not be
 *   negative (NaN passes, as in PyTorch); `nesterov` needs `momentum > 0` and `dampening` 0
 */
export function validateSGD(o: Partial<SGDOptions>): void {
  checkNotNegative(o.lr, 'learning rate');
  checkNotNegative(o.momentum, 'momentum value');
  checkNotNegative(o.weightDecay, 'weight_decay value');
  if (o.nesterov === true && !((o.momentum ?? 0) > 0 && (o.dampening ?? 0) === 0)) {
    throw new RangeError('Nesterov momentum requires a momentum and zero dampening');
  }
}

/** SGD without its class, for the data-parallel trainer. */
export const sgdDescriptor: OptimizerDescriptor<SGDOptions, SGDHyper, SGDState> = {
  name: 'SGD',
  defaults: { lr: undefined, ...SGD_DEFAULTS },
  validate: validateSGD,
  sparse: 'densify',
  countsSteps: SGD_UPDATE.countsSteps,
  tensorScalars: false,
  scalarNames: [],
  initScalars: noScalars,
  hyper: ({ lr, momentum, dampening, weightDecay, nesterov, maximize }) => ({ lr, momentum, dampening, weightDecay, nesterov, maximize }),
  stateBuffers: SGD_UPDATE.buffers,
  initState: zeroInit,
  update: sgdUpdate,
};

/** Stochastic gradient descent, as `torch.optim.SGD`. */
export class SGD extends FunctionalOptimizer<SGDOptions, SGDHyper, SGDState> {
  /**
   * Checks the options as PyTorch does (an invalid or unknown one throws, naming it) and builds the parameter groups; `lr` has no default:
   * leaving it out throws.
   * @param params - the tensors to optimize (one group), or parameter groups `{ params, ...options }` whose options
   *   override the defaults; leaf tensors only, each in one group
   * @param args - PyTorch's positional `lr`, then an options object (see {@link SGDOptions}), both optional; unknown keys throw
   */
  constructor(params: Params<SGDOptions>, ...args: OptimizerArgs<SGDOptions>) {
    super(params, args, sgdDescriptor);
  }
}
