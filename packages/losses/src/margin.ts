import { checkOptions, neg, numel, optionKeys, record, Tensor, to } from '@loom/core';
import { broadcastLossShapes, checkFloating, checkNumber, checkTargetWithoutGrad, resultDType } from './checks.js';
import { LossModule } from './loss-module.js';
import { gradTo, valuesOver } from './operands.js';
import { pointwiseLoss } from './pointwise.js';
import { checkReduction, reducedOutput, type Reduction, upstreamOf } from './reduction.js';

/** Options of `SoftMarginLoss` / `softMarginLoss`. */
export interface SoftMarginLossOptions {
  /**
   * How the per-element losses are reduced: 'mean' (default) averages them over the broadcast shape, 'sum' adds them, 'none' returns them.
   */
  reduction?: Reduction;
}

/** Options of `MarginRankingLoss` / `marginRankingLoss`. */
export interface MarginRankingLossOptions {
  /**
   * How the per-element losses are reduced: 'mean' (default) averages them over the broadcast shape, 'sum' adds them, 'none' returns them.
   */
  reduction?: Reduction;
  /** How far apart the ranked inputs must be before the loss is zero; default 0. */
  margin?: number;
}

/** Every option of `SoftMarginLoss` / `softMarginLoss`. */
export const SOFT_MARGIN_LOSS_OPTIONS = optionKeys<SoftMarginLossOptions>({ reduction: true });

/** Every option of `MarginRankingLoss` / `marginRankingLoss`. */
export const MARGIN_RANKING_LOSS_OPTIONS = optionKeys<MarginRankingLossOptions>({ reduction: true, margin: true });

/**
 * Two-class logistic loss log(1 + e^(−y x)) for targets y = ±1, as `torch.nn.functional.soft_margin_loss`.
 * @param input - the scores, float32 or float64, of any shape
 * @param target - the labels, 1 or −1, float32 or float64 (other values are not checked); broadcasts with `input`; no gradient flows to it (one that requires grad throws)
 * @param options - see {@link SoftMarginLossOptions}; default `{}`: 'mean' reduction; unknown keys throw
 */
export function softMarginLoss(input: Tensor, target: Tensor, options: SoftMarginLossOptions = {}): Tensor {
  checkOptions('softMarginLoss', options, SOFT_MARGIN_LOSS_OPTIONS);
  const reduction = checkReduction('softMarginLoss', options.reduction);
  return pointwiseLoss({
    op: 'softMarginLoss',
    input,
    target,
    reduction,
    kernel: {
      forward(x, y, out) {
        let s = 0;
        for (let i = 0; i < x.length; i++) {
          const v = Math.log1p(Math.exp(-x[i]! * y[i]!));
          if (out) out[i] = v;
          else s += v;
        }
        return s;
      },
      backward(x, y, { each, all }, grad) {
        for (let i = 0; i < x.length; i++) {
          const yi = y[i]!;
          const z = Math.exp(-yi * x[i]!);
          grad[i] = ((-yi * z) / (1 + z)) * (each ? each[i]! : all);
        }
      },
    },
  });
}

/**
 * Ranking loss max(0, −y (x1 − x2) + margin) for targets y = ±1 (1: x1 should rank higher), as
 * `torch.nn.functional.margin_ranking_loss`. The three tensors must have the same number of
 * dimensions and broadcast together.
 * @param input1 - the first scores, float32 or float64
 * @param input2 - the second scores, float32 or float64; it receives the negated gradient of `input1`
 * @param target - 1 where `input1` should rank higher, −1 where `input2` should, float32 or float64; the three tensors need the same
 *   number of dimensions and broadcast together; no gradient flows to it (one that requires grad throws)
 * @param options - see {@link MarginRankingLossOptions}; default `{}`: 'mean' reduction, `margin` 0; unknown keys throw
 */
export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, options: MarginRankingLossOptions = {}): Tensor {
  const op = 'marginRankingLoss';
  checkOptions(op, options, MARGIN_RANKING_LOSS_OPTIONS);
  const reduction = checkReduction(op, options.reduction);
  const margin = checkNumber(op, options.margin ?? 0, 'margin');
  checkFloating(op, input1, 'input1');
  checkFloating(op, input2, 'input2');
  checkFloating(op, target, 'target');
  checkTargetWithoutGrad(op, target);
  if (input1.ndim !== input2.ndim || input1.ndim !== target.ndim) {
    throw new RangeError(
      `${op}: all input tensors should have the same number of dimensions, got input1 [${input1.shape}], input2 [${input2.shape}] and target [${target.shape}]`,
    );
  }
  const shape = broadcastLossShapes(op, broadcastLossShapes(op, input1.shape, input2.shape, ['input1', 'input2']), target.shape, [
    'inputs',
    'target',
  ]);
  const dtype = resultDType(input1, input2, target);
  const count = numel(shape);
  const a = valuesOver(input1, shape);
  const b = valuesOver(input2, shape);
  const y = valuesOver(target, shape);
  const out = reduction === 'none' ? Tensor.empty(shape, dtype) : null;
  const o = out && out.data();
  let total = 0;
  for (let i = 0; i < count; i++) {
    const v = Math.max(-y[i]! * (a[i]! - b[i]!) + margin, 0);
    if (o) o[i] = v;
    else total += v;
  }
  const result = out ?? reducedOutput(total, count, reduction, dtype);
  return record(op, result, [input1, input2, target], (g) => {
    const { each, all } = upstreamOf(g, reduction, count);
    const grad = Tensor.empty(shape, dtype);
    const gd = grad.data();
    // Read again, not kept from the forward: outside a scope, a pass may have moved these regions
    // out and given them to other tensors since (a kept array would read their bytes).
    const a = valuesOver(input1, shape);
    const b = valuesOver(input2, shape);
    const y = valuesOver(target, shape);
    for (let i = 0; i < count; i++) {
      // PyTorch's clamp_min passes the gradient where the unclamped value is >= 0.
      const active = -y[i]! * (a[i]! - b[i]!) + margin >= 0;
      gd[i] = active ? -y[i]! * (each ? each[i]! : all) : 0;
    }
    return [gradTo(to(grad, input1.dtype), input1), gradTo(to(neg(grad), input2.dtype), input2), null];
  });
}

/** `torch.nn.SoftMarginLoss`: the module form of `softMarginLoss`. */
export class SoftMarginLoss extends LossModule {
  readonly reduction: Reduction;

  /**
   * Checks the options once: an unknown key or an invalid value throws, naming it.
   * @param options - see {@link SoftMarginLossOptions}; default `{}`: 'mean' reduction
   */
  constructor(options: SoftMarginLossOptions = {}) {
    super();
    checkOptions('SoftMarginLoss', options, SOFT_MARGIN_LOSS_OPTIONS);
    this.reduction = checkReduction('SoftMarginLoss', options.reduction);
  }

  /**
   * The loss of `input` against `target`, as {@link softMarginLoss} with this module's options.
   * @param input - the scores, float32 or float64
   * @param target - the labels, 1 or −1, float32 or float64; broadcasts with `input`
   */
  forward(input: Tensor, target: Tensor): Tensor {
    return softMarginLoss(input, target, { reduction: this.reduction });
  }
}

/** `torch.nn.MarginRankingLoss`: the module form of `marginRankingLoss`; `forward(input1, input2, target)`. */
export class MarginRankingLoss extends LossModule {
  readonly reduction: Reduction;
  readonly margin: number;

  /**
   * Checks the options once: an unknown key or an invalid value throws, naming it.
   * @param options - see {@link MarginRankingLossOptions}; default `{}`: 'mean' reduction, `margin` 0
   */
  constructor(options: MarginRankingLossOptions = {}) {
    super();
    checkOptions('MarginRankingLoss', options, MARGIN_RANKING_LOSS_OPTIONS);
    this.reduction = checkReduction('MarginRankingLoss', options.reduction);
    this.margin = checkNumber('MarginRankingLoss', options.margin ?? 0, 'margin');
  }

  /**
   * The loss of the pair against `target`, as {@link marginRankingLoss} with this module's options.
   * @param input1 - the first scores, float32 or float64
   * @param input2 - the second scores, float32 or float64
   * @param target - 1 where `input1` should rank higher, −1 where `input2` should; required (a TypeError without it), optional in
   *   the signature only to match {@link LossModule.forward}
   */
  forward(input1: Tensor, input2: Tensor, target?: Tensor): Tensor {
    if (target === undefined) throw new TypeError('MarginRankingLoss: forward takes (input1, input2, target)');
    return marginRankingLoss(input1, input2, target, { reduction: this.reduction, margin: this.margin });
  }
}
