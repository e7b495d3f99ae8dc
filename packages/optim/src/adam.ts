import { adamKernel, type FloatArray } from '@loom/core';
import { noScalars, type OptimizerDescriptor, zeroInit } from './descriptor.js';
import { checkUpdate, type UpdateSpec } from './update-checks.js';
import { FunctionalOptimizer } from './functional-optimizer.js';
import type { OptimizerArgs, Params } from './optimizer.js';
import { checkBetas, checkNonNegative } from './validation.js';

/** Adam's options (PyTorch's names, camelCased). */
export interface AdamOptions {
  /** Learning rate. Default 1e-3. */
  lr: number;
  /** Decay rates of the running averages of the gradient and of its square, each in [0, 1). Default [0.9, 0.999]. */
  betas: [number, number];
  /** Added to the denominator for numerical stability. Default 1e-8. */
  eps: number;
  /**
   * L2 penalty: `weightDecay·θ` is added to the gradient. Default 0. AdamW, which shares these options, decouples it
   * instead (θ scaled by 1 − lr·weightDecay before the step) and defaults to 1e-2.
   */
  weightDecay: number;
  /** Use the AMSGrad variant: the running maximum of the second moment (keeps a `maxExpAvgSq` buffer). Default false. */
  amsgrad: boolean;
  /** Maximize the objective: the gradient's sign is flipped. Default false. */
  maximize: boolean;
}

/** Adam's hyperparameters for one update: its options. */
export type AdamHyper = AdamOptions;

/** Adam's per-element state: first and second moments, and their running max with AMSGrad. */
export interface AdamState {
  expAvg: FloatArray;
  expAvgSq: FloatArray;
  maxExpAvgSq?: FloatArray;
}

/** PyTorch's defaults. */
export const ADAM_DEFAULTS: Readonly<AdamOptions> = {
  lr: 1e-3,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  amsgrad: false,
  maximize: false,
};

/** What the Adam family's update reads, checked once per call. */
const ADAM_UPDATE: UpdateSpec<AdamHyper> = {
  kinds: { lr: 'number', betas: 'pair', eps: 'number', weightDecay: 'number', amsgrad: 'flag', maximize: 'flag' },
  // The same arrays every call: a trainer checks an update on every step.
  buffers: (hyper) => (hyper.amsgrad ? AMSGRAD_BUFFERS : ADAM_BUFFERS),
  countsSteps: true,
};

/** The SIMD kernel's options, one object filled for every call (the kernel reads it at once): a trainer's step makes no garbage. */
type KernelOptions = Parameters<ReturnType<typeof adamKernel.select>>[6];
const KERNEL_OPTIONS: { -readonly [K in keyof KernelOptions]: KernelOptions[K] } = {
  lr: 0,
  beta1: 0,
  beta2: 0,
  eps: 0,
  weightDecay: 0,
  amsgrad: false,
  maximize: false,
  decoupledWeightDecay: false,
};

/**
 * The Adam family's update: L2 weight decay `l2` added to the gradient (Adam) or decoupled
 * decay multiplying the parameter by `decay` first (AdamW), then PyTorch 1.13's arithmetic.
 * @param op - the caller's name, for error messages ('adamUpdate')
 * @param param - the parameter's values, a flat float32 or float64 vector or any slice of one; updated in place
 * @param grad - the gradient, of `param`'s length (else a RangeError); read only
 * @param state - `expAvg` and `expAvgSq` (first and second moments), plus `maxExpAvgSq` when `hyper.amsgrad`
 *   (else a TypeError), each of `param`'s length; updated in place
 * @param hyper - the group's options, see {@link AdamOptions}; `l2` and `decay` say how its `weightDecay` applies
 * @param step - 1-based count of this parameter's updates, this one included: the bias corrections divide by 1 − βᵗ
 * @param l2 - the L2 penalty: `l2·θ` is added to the gradient (Adam's `weightDecay`; 0 for none)
 * @param decay - the factor θ is multiplied by before the update (AdamW's 1 − lr·weightDecay; 1 for none)
 */
export function adamFamilyUpdate(
  op: string,
  param: FloatArray,
  grad: FloatArray,
  state: AdamState,
  hyper: AdamHyper,
  step: number,
  l2: number,
  decay: number,
): void {
  checkUpdate(op, param, grad, state, hyper, step, ADAM_UPDATE);
  const { expAvg, expAvgSq, maxExpAvgSq } = state;
  const beta1 = hyper.betas[0];
  const beta2 = hyper.betas[1];
  if (hyper.amsgrad && maxExpAvgSq === undefined) throw new TypeError(`${op}: amsgrad needs the state buffer 'maxExpAvgSq'`);
  // float32 slices go to the SIMD kernel (float32 arithmetic; the same for a whole vector or any
  // slicing of it); float64 stays here, in PyTorch's exact operation order.
  if (param instanceof Float32Array && adamKernel.backendFor('float32') === 'wasm') {
    const o = KERNEL_OPTIONS;
    o.lr = hyper.lr;
    o.beta1 = beta1;
    o.beta2 = beta2;
    o.eps = hyper.eps;
    o.weightDecay = decay !== 1 ? hyper.weightDecay : l2;
    o.amsgrad = hyper.amsgrad;
    o.maximize = hyper.maximize;
    o.decoupledWeightDecay = decay !== 1;
    adamKernel.select('float32')(param, grad, expAvg, expAvgSq, hyper.amsgrad ? maxExpAvgSq! : null, step, o);
    return;
  }
  const { eps, maximize } = hyper;
  const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
  const negStepSize = -(hyper.lr / (1 - beta1 ** step));
  const oneMinusBeta1 = 1 - beta1;
  const oneMinusBeta2 = 1 - beta2;
  const useMax = hyper.amsgrad;
  for (let i = 0; i < param.length; i++) {
    let p = param[i]!;
    let g = maximize ? -grad[i]! : grad[i]!;
    if (l2 !== 0) g = g + l2 * p;
    if (decay !== 1) p = p * decay;
    const m = expAvg[i]! * beta1 + oneMinusBeta1 * g;
    const v = expAvgSq[i]! * beta2 + oneMinusBeta2 * g * g;
    expAvg[i] = m;
    expAvgSq[i] = v;
    let second = v;
    if (useMax) {
      second = Math.max(maxExpAvgSq![i]!, v);
      maxExpAvgSq![i] = second;
    }
    const denom = Math.sqrt(second) / bc2Sqrt + eps;
    param[i] = p + (negStepSize * m) / denom;
  }
}

/**
 * Adam (Kingma & Ba, 2015), PyTorch 1.13's single-tensor arithmetic:
 *
 *     g ← ±∇f (+ λθ)          m ← β₁m + (1−β₁)g          v ← β₂v + (1−β₂)g²
 *     v̂ ← max(v̂, v) with AMSGrad, else v
 *     θ ← θ − (lr / (1−β₁ᵗ)) · m / (√v̂ / √(1−β₂ᵗ) + ε)
 * @param param - the parameter's values, a flat float32 or float64 vector or any slice of one; updated in place
 * @param grad - the gradient, of `param`'s length (else a RangeError); read only
 * @param state - `expAvg` and `expAvgSq` (m and v), plus `maxExpAvgSq` (v̂) when `hyper.amsgrad` (else a TypeError),
 *   each of `param`'s length; updated in place
 * @param hyper - the group's options, see {@link AdamOptions}; `weightDecay` is the L2 penalty λ added to the gradient
 * @param step - 1-based count of this parameter's updates, this one included (t of the bias corrections; 0 divides by zero)
 */
export function adamUpdate(param: FloatArray, grad: FloatArray, state: AdamState, hyper: AdamHyper, step: number): void {
  adamFamilyUpdate('adamUpdate', param, grad, state, hyper, step, hyper.weightDecay, 1);
}

/**
 * The buffers of the Adam family: moments, plus the running max with AMSGrad.
 * @param hyper - the update's hyperparameters; only `amsgrad` is read (true adds 'maxExpAvgSq')
 */
export function adamBuffers(hyper: { amsgrad: boolean }): string[] {
  return hyper.amsgrad ? [...AMSGRAD_BUFFERS] : [...ADAM_BUFFERS];
}

const ADAM_BUFFERS = ['expAvg', 'expAvgSq'] as const;
const AMSGRAD_BUFFERS = ['expAvg', 'expAvgSq', 'maxExpAvgSq'] as const;

/**
 * Adam's checks, in PyTorch's order.
 * @param o - options as given; those left `undefined` (to the defaults) are skipped. `lr`, `eps` and `weightDecay` must be ≥ 0 and each
 *   beta in [0, 1) (NaN fails)
 */
export function validateAdam(o: Partial<AdamOptions>): void {
  checkNonNegative(o.lr, 'learning rate');
  checkNonNegative(o.eps, 'epsilon value');
  checkBetas(o.betas);
  checkNonNegative(o.weightDecay, 'weight_decay value');
}

/** Adam without its class, for the data-parallel trainer. */
export const adamDescriptor: OptimizerDescriptor<AdamOptions, AdamHyper, AdamState> = {
  name: 'Adam',
  defaults: ADAM_DEFAULTS,
  validate: validateAdam,
  sparse: 'refuse',
  sparseMessage: 'Adam does not support sparse gradients, please consider SparseAdam instead',
  countsSteps: ADAM_UPDATE.countsSteps,
  tensorScalars: true,
  scalarNames: [],
  initScalars: noScalars,
  hyper: ({ lr, betas, eps, weightDecay, amsgrad, maximize }) => ({ lr, betas: [betas[0], betas[1]], eps, weightDecay, amsgrad, maximize }),
  stateBuffers: adamBuffers,
  initState: zeroInit,
  update: adamUpdate,
};

/** Adam, as `torch.optim.Adam`. */
export class Adam extends FunctionalOptimizer<AdamOptions, AdamHyper, AdamState> {
  /**
   * Checks the options as PyTorch does (an invalid or unknown one throws, naming it) and builds the parameter groups.
   * @param params - the tensors to optimize (one group), or parameter groups `{ params, ...options }` whose options
   *   override the defaults; leaf tensors only, each in one group
   * @param args - PyTorch's positional `lr`, then an options object (see {@link AdamOptions}), both optional; unknown keys throw
   */
  constructor(params: Params<AdamOptions>, ...args: OptimizerArgs<AdamOptions>) {
    super(params, args, adamDescriptor);
  }
}
