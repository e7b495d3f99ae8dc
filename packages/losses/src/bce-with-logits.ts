import { checkOptions, optionKeys, type Tensor } from '@loom/core';
import { checkBroadcastWeight, checkFloating, checkSameShape, checkTargetWithoutGrad } from './checks.js';
import { LossModule } from './loss-module.js';
import { valuesOver } from './operands.js';
import { pointwiseLoss } from './pointwise.js';
import { checkReduction, type Reduction } from './reduction.js';

/** Options of `BCEWithLogitsLoss` / `binaryCrossEntropyWithLogits`. */
export interface BCEWithLogitsLossOptions {
  /** How the per-element losses are reduced: 'mean' (default) averages them, 'sum' adds them, 'none' returns them in the input's shape. */
  reduction?: Reduction;
  /** Rescales each element's loss; broadcasts to the input's shape. */
  weight?: Tensor | null;
  /** Weight of the positive term, per class (broadcasts along the last dimension). */
  posWeight?: Tensor | null;
}

/** Every option of `BCEWithLogitsLoss` / `binaryCrossEntropyWithLogits`. */
export const BCE_WITH_LOGITS_LOSS_OPTIONS = optionKeys<BCEWithLogitsLossOptions>({ reduction: true, weight: true, posWeight: true });

interface Checked {
  reduction: Reduction;
  weight: Tensor | null;
  posWeight: Tensor | null;
}

function resolveOptions(op: string, options: BCEWithLogitsLossOptions): Checked {
  checkOptions(op, options, BCE_WITH_LOGITS_LOSS_OPTIONS);
  const weight = options.weight ?? null;
  const posWeight = options.posWeight ?? null;
  if (weight !== null) checkFloating(op, weight, 'weight');
  if (posWeight !== null) checkFloating(op, posWeight, 'posWeight');
  return { reduction: checkReduction(op, options.reduction), weight, posWeight };
}

/**
 * Binary cross-entropy on logits, as `torch.nn.functional.binary_cross_entropy_with_logits`:
 * −w (p y log σ(x) + (1 − y) log(1 − σ(x))) with p = `posWeight`, computed with PyTorch's
 * log-sum-exp form so that logits of ±1000 give exact, finite losses and gradients.
 * @param input - the logits (before the sigmoid), float32 or float64, of any shape; any finite value
 * @param target - the targets, float32 or float64, of exactly `input`'s shape (no broadcasting), usually in [0, 1]; no gradient flows to it (one that requires grad throws)
 * @param options - see {@link BCEWithLogitsLossOptions}; default `{}`: 'mean' reduction, no weights; unknown keys throw
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: BCEWithLogitsLossOptions = {}): Tensor {
  const op = 'binaryCrossEntropyWithLogits';
  const { reduction, weight, posWeight } = resolveOptions(op, options);
  checkFloating(op, input, 'input');
  checkFloating(op, target, 'target');
  checkTargetWithoutGrad(op, target);
  checkSameShape(op, input, target);
  if (weight) checkBroadcastWeight(op, weight, input.shape, 'weight');
  if (posWeight) checkBroadcastWeight(op, posWeight, input.shape, 'posWeight');
  // Copies (slice), since the backward reads them after other tensor ops (see valuesOver).
  const w = weight && valuesOver(weight, input.shape).slice();
  const p = posWeight && valuesOver(posWeight, input.shape).slice();
  return pointwiseLoss({
    op,
    input,
    target,
    reduction,
    kernel: {
      forward(x, y, out) {
        let s = 0;
        for (let i = 0; i < x.length; i++) {
          const xi = x[i]!;
          const yi = y[i]!;
          // log(1 + e^−x) = m + log(e^−m + e^(−x−m)) with m = max(−x, 0): no overflow for any x.
          const m = Math.max(-xi, 0);
          const softplus = Math.log(Math.exp(-m) + Math.exp(-xi - m)) + m;
          const l = (1 - yi) * xi + (p ? ((p[i]! - 1) * yi + 1) * softplus : softplus);
          const v = w ? l * w[i]! : l;
          if (out) out[i] = v;
          else s += v;
        }
        return s;
      },
      backward(x, y, { each, all }, grad) {
        for (let i = 0; i < x.length; i++) {
          const yi = y[i]!;
          const sig = 1 / (1 + Math.exp(-x[i]!));
          let g: number;
          if (p) {
            const py = p[i]! * yi;
            g = (py + 1 - yi) * sig - py;
          } else {
            g = sig - yi;
          }
          g *= each ? each[i]! : all;
          grad[i] = w ? g * w[i]! : g;
        }
      },
    },
  });
}

/** `torch.nn.BCEWithLogitsLoss`: the module form of `binaryCrossEntropyWithLogits`. */
export class BCEWithLogitsLoss extends LossModule {
  readonly reduction: Reduction;
  readonly weight: Tensor | null;
  readonly posWeight: Tensor | null;

  /**
   * Checks the options once: an unknown key or an invalid value throws, naming it.
   * @param options - see {@link BCEWithLogitsLossOptions}; default `{}`: 'mean' reduction, no weights
   */
  constructor(options: BCEWithLogitsLossOptions = {}) {
    super();
    ({ reduction: this.reduction, weight: this.weight, posWeight: this.posWeight } = resolveOptions('BCEWithLogitsLoss', options));
  }

  /**
   * The loss of `input` against `target`, as {@link binaryCrossEntropyWithLogits} with this module's options.
   * @param input - the logits, float32 or float64, of any shape
   * @param target - the targets, float32 or float64, of `input`'s shape
   */
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, { reduction: this.reduction, weight: this.weight, posWeight: this.posWeight });
  }
}
