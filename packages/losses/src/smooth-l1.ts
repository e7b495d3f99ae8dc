import { checkOptions, optionKeys, type Tensor } from '@loom/core';
import { checkNumber } from './checks.js';
import { LossModule } from './loss-module.js';
import { type PointwiseKernel, pointwiseLoss } from './pointwise.js';
import { checkReduction, type Reduction } from './reduction.js';

/** Options of `SmoothL1Loss` / `smoothL1Loss`. */
export interface SmoothL1LossOptions {
  /**
   * How the per-element losses are reduced: 'mean' (default) averages them over the broadcast shape, 'sum' adds them, 'none' returns them.
   */
  reduction?: Reduction;
  /** Where the loss turns from quadratic to linear; default 1. 0 gives the L1 loss (with gradient −1 at 0). */
  beta?: number;
}

/** Options of `HuberLoss` / `huberLoss`. */
export interface HuberLossOptions {
  /**
   * How the per-element losses are reduced: 'mean' (default) averages them over the broadcast shape, 'sum' adds them, 'none' returns them.
   */
  reduction?: Reduction;
  /** Where the loss turns from quadratic to linear; default 1. */
  delta?: number;
}

/** Every option of `SmoothL1Loss` / `smoothL1Loss`. */
export const SMOOTH_L1_LOSS_OPTIONS = optionKeys<SmoothL1LossOptions>({ reduction: true, beta: true });

/** Every option of `HuberLoss` / `huberLoss`. */
export const HUBER_LOSS_OPTIONS = optionKeys<HuberLossOptions>({ reduction: true, delta: true });

function checkBeta(op: string, beta: number | undefined): number {
  const b = checkNumber(op, beta ?? 1, 'beta');
  if (b < 0) throw new RangeError(`${op}: beta must be non-negative, got ${b} (smooth_l1_loss does not support negative values for beta)`);
  return b;
}

function checkDelta(op: string, delta: number | undefined): number {
  const d = checkNumber(op, delta ?? 1, 'delta');
  if (d <= 0) throw new RangeError(`${op}: delta must be positive, got ${d} (huber_loss does not support non-positive values for delta)`);
  return d;
}

/**
 * 0.5 d²/β where |d| < β, |d| − 0.5 β beyond, with d = input − target. With β = 0 this is the L1
 * loss, except that, as in PyTorch's kernel, the gradient at d = 0 is −1 rather than 0.
 */
function smoothL1Kernel(beta: number): PointwiseKernel {
  return {
    forward(x, y, out) {
      let s = 0;
      for (let i = 0; i < x.length; i++) {
        const z = Math.abs(x[i]! - y[i]!);
        const v = z < beta ? (0.5 * z * z) / beta : z - 0.5 * beta;
        if (out) out[i] = v;
        else s += v;
      }
      return s;
    },
    backward(x, y, { each, all }, grad) {
      for (let i = 0; i < x.length; i++) {
        const d = x[i]! - y[i]!;
        const g = each ? each[i]! : all;
        grad[i] = d <= -beta ? -g : d >= beta ? g : (g * d) / beta;
      }
    },
  };
}

/** 0.5 d² where |d| < δ, δ (|d| − 0.5 δ) beyond, with d = input − target. */
function huberKernel(delta: number): PointwiseKernel {
  return {
    forward(x, y, out) {
      let s = 0;
      for (let i = 0; i < x.length; i++) {
        const z = Math.abs(x[i]! - y[i]!);
        const v = z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
        if (out) out[i] = v;
        else s += v;
      }
      return s;
    },
    backward(x, y, { each, all }, grad) {
      for (let i = 0; i < x.length; i++) {
        const d = x[i]! - y[i]!;
        const g = each ? each[i]! : all;
        grad[i] = d <= -delta ? -g * delta : d >= delta ? g * delta : g * d;
      }
    },
  };
}

/**
 * Smooth L1 loss, as `torch.nn.functional.smooth_l1_loss`: quadratic within `beta`, linear beyond.
 * @param input - the predictions, float32 or float64, of any shape
 * @param target - the targets, float32 or float64; `input` and `target` broadcast together (the loss has their broadcast shape), and the
 *   target receives the negated gradient
 * @param options - see {@link SmoothL1LossOptions}; default `{}`: 'mean' reduction, `beta` 1; unknown keys throw
 */
export function smoothL1Loss(input: Tensor, target: Tensor, options: SmoothL1LossOptions = {}): Tensor {
  checkOptions('smoothL1Loss', options, SMOOTH_L1_LOSS_OPTIONS);
  const reduction = checkReduction('smoothL1Loss', options.reduction);
  const beta = checkBeta('smoothL1Loss', options.beta);
  return pointwiseLoss({ op: 'smoothL1Loss', input, target, reduction, differenceOnly: true, kernel: smoothL1Kernel(beta) });
}

/**
 * Huber loss, as `torch.nn.functional.huber_loss`: quadratic within `delta`, linear (slope δ) beyond.
 * @param input - the predictions, float32 or float64, of any shape
 * @param target - the targets, float32 or float64; `input` and `target` broadcast together (the loss has their broadcast shape), and the
 *   target receives the negated gradient
 * @param options - see {@link HuberLossOptions}; default `{}`: 'mean' reduction, `delta` 1; unknown keys throw
 */
export function huberLoss(input: Tensor, target: Tensor, options: HuberLossOptions = {}): Tensor {
  checkOptions('huberLoss', options, HUBER_LOSS_OPTIONS);
  const reduction = checkReduction('huberLoss', options.reduction);
  const delta = checkDelta('huberLoss', options.delta);
  return pointwiseLoss({ op: 'huberLoss', input, target, reduction, differenceOnly: true, kernel: huberKernel(delta) });
}

/** `torch.nn.SmoothL1Loss`: the module form of `smoothL1Loss`. */
export class SmoothL1Loss extends LossModule {
  readonly reduction: Reduction;
  readonly beta: number;

  /**
   * Checks the options once: an unknown key or an invalid value throws, naming it.
   * @param options - see {@link SmoothL1LossOptions}; default `{}`: 'mean' reduction, `beta` 1
   */
  constructor(options: SmoothL1LossOptions = {}) {
    super();
    checkOptions('SmoothL1Loss', options, SMOOTH_L1_LOSS_OPTIONS);
    this.reduction = checkReduction('SmoothL1Loss', options.reduction);
    this.beta = checkBeta('SmoothL1Loss', options.beta);
  }

  /**
   * The loss of `input` against `target`, as {@link smoothL1Loss} with this module's options.
   * @param input - the predictions, float32 or float64, of any shape
   * @param target - the targets, float32 or float64; broadcasts with `input`
   */
  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/** `torch.nn.HuberLoss`: the module form of `huberLoss`. */
export class HuberLoss extends LossModule {
  readonly reduction: Reduction;
  readonly delta: number;

  /**
   * Checks the options once: an unknown key or an invalid value throws, naming it.
   * @param options - see {@link HuberLossOptions}; default `{}`: 'mean' reduction, `delta` 1
   */
  constructor(options: HuberLossOptions = {}) {
    super();
    checkOptions('HuberLoss', options, HUBER_LOSS_OPTIONS);
    this.reduction = checkReduction('HuberLoss', options.reduction);
    this.delta = checkDelta('HuberLoss', options.delta);
  }

  /**
   * The loss of `input` against `target`, as {@link huberLoss} with this module's options.
   * @param input - the predictions, float32 or float64, of any shape
   * @param target - the targets, float32 or float64; broadcasts with `input`
   */
  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}
