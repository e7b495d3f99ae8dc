import { checkOptions, optionKeys, type Tensor } from '@loom/core';
import { LossModule } from './loss-module.js';
import { type PointwiseKernel, pointwiseLoss } from './pointwise.js';
import { checkReduction, type Reduction } from './reduction.js';

/** Options of `MSELoss` / `mseLoss`. */
export interface MSELossOptions {
  /**
   * How the per-element losses are reduced: 'mean' (default) averages them over the broadcast shape, 'sum' adds them, 'none' returns them.
   */
  reduction?: Reduction;
}

/** Every option of `MSELoss` / `mseLoss`. */
export const MSE_LOSS_OPTIONS = optionKeys<MSELossOptions>({ reduction: true });

/** (input − target)²; its derivative is 2 (input − target). */
const mseKernel: PointwiseKernel = {
  forward(x, y, out) {
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      const d = x[i]! - y[i]!;
      const v = d * d;
      if (out) out[i] = v;
      else s += v;
    }
    return s;
  },
  backward(x, y, { each, all }, grad) {
    for (let i = 0; i < x.length; i++) grad[i] = 2 * (x[i]! - y[i]!) * (each ? each[i]! : all);
  },
};

/**
 * Mean squared error (input − target)², as `torch.nn.functional.mse_loss` (target broadcasts).
 * @param input - the predictions, float32 or float64, of any shape
 * @param target - the targets, float32 or float64; `input` and `target` broadcast together (the loss has their broadcast shape), and the
 *   target receives the negated gradient
 * @param options - see {@link MSELossOptions}; default `{}`: 'mean' reduction; unknown keys throw
 */
export function mseLoss(input: Tensor, target: Tensor, options: MSELossOptions = {}): Tensor {
  checkOptions('mseLoss', options, MSE_LOSS_OPTIONS);
  const reduction = checkReduction('mseLoss', options.reduction);
  return pointwiseLoss({ op: 'mseLoss', input, target, reduction, differenceOnly: true, kernel: mseKernel });
}

/** `torch.nn.MSELoss`: the module form of `mseLoss`. */
export class MSELoss extends LossModule {
  readonly reduction: Reduction;

  /**
   * Checks the options once: an unknown key or an invalid value throws, naming it.
   * @param options - see {@link MSELossOptions}; default `{}`: 'mean' reduction
   */
  constructor(options: MSELossOptions = {}) {
    super();
    checkOptions('MSELoss', options, MSE_LOSS_OPTIONS);
    this.reduction = checkReduction('MSELoss', options.reduction);
  }

  /**
   * The loss of `input` against `target`, as {@link mseLoss} with this module's options.
   * @param input - the predictions, float32 or float64, of any shape
   * @param target - the targets, float32 or float64; broadcasts with `input`
   */
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}
