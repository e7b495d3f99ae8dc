import { checkOptions, optionKeys, type Tensor, type TypedArray } from '@loom/core';
import { checkBroadcastWeight, checkFloating, checkSameShape, checkTargetWithoutGrad } from './checks.js';
import { LossModule } from './loss-module.js';
import { valuesOver } from './operands.js';
import { pointwiseLoss } from './pointwise.js';
import { checkReduction, type Reduction } from './reduction.js';

/** Options of `BCELoss` / `binaryCrossEntropy`. */
export interface BCELossOptions {
  /** How the per-element losses are reduced: 'mean' (default) averages them, 'sum' adds them, 'none' returns them in the input's shape. */
  reduction?: Reduction;
  /** Rescales each element's loss; broadcasts to the input's shape. */
  weight?: Tensor | null;
}

/** Every option of `BCELoss` / `binaryCrossEntropy`. */
export const BCE_LOSS_OPTIONS = optionKeys<BCELossOptions>({ reduction: true, weight: true });

/** PyTorch's floor on x (1 − x) in the backward: 1e-12 as a float32 constant. */
const EPSILON = Math.fround(1e-12);
/** PyTorch clamps each log term at −100 so that inputs of exactly 0 or 1 give finite losses. */
const LOG_FLOOR = -100;

function resolveOptions(op: string, options: BCELossOptions): { reduction: Reduction; weight: Tensor | null } {
  checkOptions(op, options, BCE_LOSS_OPTIONS);
  const weight = options.weight ?? null;
  if (weight !== null) checkFloating(op, weight, 'weight');
  return { reduction: checkReduction(op, options.reduction), weight };
}

function checkProbabilities(op: string, x: TypedArray): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (!(v >= 0 && v <= 1)) throw new RangeError(`${op}: all elements of input should be between 0 and 1 (element ${i} is ${v})`);
  }
}

/**
 * Binary cross-entropy between probabilities `input` and `target`, as
 * `torch.nn.functional.binary_cross_entropy`: −w (y log x + (1 − y) log(1 − x)), each log clamped
 * at −100. As in PyTorch 1.13 the target is not range-checked, so a target outside [0, 1] gives
 * a loss below zero.
 * @param input - the predicted probabilities, float32 or float64, of any shape; each in [0, 1] (else a RangeError naming the element)
 * @param target - the targets, float32 or float64, of exactly `input`'s shape (no broadcasting); values in [0, 1] (not checked, as in
 *   PyTorch); no gradient flows to it (one that requires grad throws)
 * @param options - see {@link BCELossOptions}; default `{}`: 'mean' reduction, no weight; unknown keys throw
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: BCELossOptions = {}): Tensor {
  const op = 'binaryCrossEntropy';
  const { reduction, weight } = resolveOptions(op, options);
  checkFloating(op, input, 'input');
  checkFloating(op, target, 'target');
  checkTargetWithoutGrad(op, target);
  checkSameShape(op, input, target);
  if (weight) checkBroadcastWeight(op, weight, input.shape, 'weight');
  checkProbabilities(op, valuesOver(input, input.shape));
  // Copies (slice), since the backward reads them after other tensor ops (see valuesOver).
  const w = weight && valuesOver(weight, input.shape).slice();
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
          const l = (yi - 1) * Math.max(Math.log1p(-xi), LOG_FLOOR) - yi * Math.max(Math.log(xi), LOG_FLOOR);
          const v = w ? l * w[i]! : l;
          if (out) out[i] = v;
          else s += v;
        }
        return s;
      },
      backward(x, y, { each, all }, grad) {
        for (let i = 0; i < x.length; i++) {
          const xi = x[i]!;
          const g = ((each ? each[i]! : all) * (xi - y[i]!)) / Math.max((1 - xi) * xi, EPSILON);
          grad[i] = w ? g * w[i]! : g;
        }
      },
    },
  });
}

/** `torch.nn.BCELoss`: the module form of `binaryCrossEntropy`. */
export class BCELoss extends LossModule {
  readonly reduction: Reduction;
  readonly weight: Tensor | null;

  /**
   * Checks the options once: an unknown key or an invalid value throws, naming it.
   * @param options - see {@link BCELossOptions}; default `{}`: 'mean' reduction, no weight
   */
  constructor(options: BCELossOptions = {}) {
    super();
    ({ reduction: this.reduction, weight: this.weight } = resolveOptions('BCELoss', options));
  }

  /**
   * The loss of `input` against `target`, as {@link binaryCrossEntropy} with this module's options.
   * @param input - the predicted probabilities, float32 or float64, each in [0, 1]
   * @param target - the targets, float32 or float64, of `input`'s shape
   */
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { reduction: this.reduction, weight: this.weight });
  }
}
