import { checkOptions, optionKeys, type Tensor } from '@loom/core';
import { LossModule } from './loss-module.js';
import { type PointwiseKernel, pointwiseLoss } from './pointwise.js';
import { checkReduction, type Reduction } from './reduction.js';

/** Options of `L1Loss` / `l1Loss`. */
export interface L1LossOptions {
  /**
   * How the per-element losses are reduced: 'mean' (default) averages them over the broadcast shape, 'sum' adds them, 'none' returns them.
   */
  reduction?: Reduction;
}

/** Every option of `L1Loss` / `l1Loss`. */
export const L1_LOSS_OPTIONS = optionKeys<L1LossOptions>({ reduction: true });

/** |input − target|; its derivative is sign(input − target), 0 where they are equal. */
const l1Kernel: PointwiseKernel = {
  forward(x, y, out) {
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      const v = Math.abs(x[i]! - y[i]!);
      if (out) out[i] = v;
      else s += v;
    }
    return s;
  },
  backward(x, y, { each, all }, grad) {
    for (let i = 0; i < x.length; i++) grad[i] = Math.sign(x[i]! - y[i]!) * (each ? each[i]! : all);
  },
};

/**
 * Mean absolute error |input − target|, as `torch.nn.functional.l1_loss` (target broadcasts).
 * @param input - the predictions, float32 or float64, of any shape
 * @param target - the targets, float32 or float64; `input` and `target` broadcast together (the loss has their broadcast shape), and the
 *   target receives the negated gradient
 * @param options - see {@link L1LossOptions}; default `{}`: 'mean' reduction; unknown keys throw
 */
export function l1Loss(input: Tensor, target: Tensor, options: L1LossOptions = {}): Tensor {
  checkOptions('l1Loss', options, L1_LOSS_OPTIONS);
  const reduction = checkReduction('l1Loss', options.reduction);
  return pointwiseLoss({ op: 'l1Loss', input, target, reduction, differenceOnly: true, kernel: l1Kernel });
}

/** `torch.nn.L1Loss`: the module form of `l1Loss`. */
export class L1Loss extends LossModule {
  readonly reduction: Reduction;

  /**
   * Checks the options once: an unknown key or an invalid value throws, naming it.
   * @param options - see {@link L1LossOptions}; default `{}`: 'mean' reduction
   */
  constructor(options: L1LossOptions = {}) {
    super();
    checkOptions('L1Loss', options, L1_LOSS_OPTIONS);
    this.reduction = checkReduction('L1Loss', options.reduction);
  }

  /**
   * The loss of `input` against `target`, as {@link l1Loss} with this module's options.
   * @param input - the predictions, float32 or float64, of any shape
   * @param target - the targets, float32 or float64; broadcasts with `input`
   */
  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}
