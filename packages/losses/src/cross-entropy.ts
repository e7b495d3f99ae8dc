import { checkOptions, formatShape, isFloating, isGradEnabled, optionKeys, record, shapesEqual, Tensor } from '@loom/core';
import { checkClassOptions, type ClassLossOptions, classIndices, classLayout, classWeights, targetWeightSum } from './class-target.js';
import { checkFloating, checkNumber } from './checks.js';
import { crossEntropyProbabilities } from './cross-entropy-probs.js';
import { simdCrossEntropy, simdCrossEntropyApplies } from './cross-entropy-simd.js';
import { LossModule } from './loss-module.js';
import { valuesOver } from './operands.js';
import type { Reduction } from './reduction.js';
import { savedGradBackward } from './saved-grad.js';

/** Options of `CrossEntropyLoss` / `crossEntropy`. */
export interface CrossEntropyLossOptions extends ClassLossOptions {
  /** Mixes the target with the uniform distribution: (1 − ε)·target + ε/C; in [0, 1], default 0. */
  labelSmoothing?: number;
}

/** Every option of `CrossEntropyLoss` / `crossEntropy`. */
export const CROSS_ENTROPY_LOSS_OPTIONS = optionKeys<CrossEntropyLossOptions>({
  reduction: true,
  weight: true,
  ignoreIndex: true,
  labelSmoothing: true,
});

interface CheckedOptions {
  reduction: Reduction;
  weight: Tensor | null;
  ignoreIndex: number;
  labelSmoothing: number;
}

function resolveOptions(op: string, options: CrossEntropyLossOptions): CheckedOptions {
  checkOptions(op, options, CROSS_ENTROPY_LOSS_OPTIONS);
  const labelSmoothing = checkNumber(op, options.labelSmoothing ?? 0, 'labelSmoothing');
  if (labelSmoothing < 0 || labelSmoothing > 1)
    throw new RangeError(`${op}: labelSmoothing must be between 0.0 and 1.0, got ${labelSmoothing}`);
  return { ...checkClassOptions(op, options), labelSmoothing };
}

/**
 * Cross-entropy between the logits `input` and `target`, as `torch.nn.functional.cross_entropy`:
 * log-softmax over the class dimension (dim 1, or 0 for an unbatched (C,) input) followed by the
 * negative log-likelihood. `target` holds either class indices (int32, the input's shape without
 * its class dimension) or class probabilities (floating point, the input's shape).
 *
 * Fused: one pass per sample computes the log-sum-exp, the loss and, when the input requires a
 * gradient, that gradient (softmax minus the smoothed one-hot target), so softmax is never
 * materialised as a tensor and the backward only scales the saved gradient.
 * @param input - the logits (unnormalized), float32 or float64: [N, C], [N, C, d1, …, dk] or an unbatched [C]
 * @param target - class indices, int32, of `input`'s shape without its class dimension ([N], [N, d1, …, dk] or []), each in
 *   [0, C) or `ignoreIndex`; or class probabilities, float32 or float64, of `input`'s shape; no gradient flows to it (one that requires grad throws)
 * @param options - see {@link CrossEntropyLossOptions}; default `{}`: 'mean' reduction, no weight, `ignoreIndex` −100, no label
 *   smoothing; unknown keys throw
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyLossOptions = {}): Tensor {
  const op = 'crossEntropy';
  const { reduction, weight, ignoreIndex, labelSmoothing } = resolveOptions(op, options);
  checkFloating(op, input, 'input');
  if (target instanceof Tensor && shapesEqual(input.shape, target.shape)) {
    if (!isFloating(target.dtype)) {
      throw new TypeError(
        `${op}: a target of the input's shape ${formatShape(input.shape)} holds class probabilities and must be floating point, got ${target.dtype}`,
      );
    }
    if (ignoreIndex >= 0)
      throw new RangeError(`${op}: ignoreIndex (${ignoreIndex}) is not supported for a floating point (class probability) target`);
    return crossEntropyProbabilities(op, input, target, reduction, weight, labelSmoothing);
  }
  const hint = `; a float target is read as class probabilities only when it has the input's shape ${formatShape(input.shape)}`;
  const { n, c, s, outShape } = classLayout(op, input, target, hint);
  const w = classWeights(op, weight, c);
  const t = classIndices(op, target, c, ignoreIndex);

  const totalWeight = targetWeightSum(t, w, ignoreIndex);
  const mean = reduction === 'mean';
  // PyTorch normalises the smoothing term by the weight sum with weights, but by every target
  // (ignored ones included) without: the two terms of the mean can have different normalisers.
  const smoothCount = w ? totalWeight : n * s;
  const ls = labelSmoothing;
  // The scales of the two terms in the gradient (per sample for 'none', of the whole loss otherwise).
  const nllScale = (1 - ls) * (mean ? 1 / totalWeight : 1);
  const smoothScale = (ls / c) * (mean ? 1 / smoothCount : 1);
  let weightSum = c;
  if (w) {
    weightSum = 0;
    for (let k = 0; k < c; k++) weightSum += w[k]!;
  }

  const x = valuesOver(input, input.shape);
  const wantGrad = isGradEnabled() && input.requiresGrad;
  if (simdCrossEntropyApplies(input, s, w !== null, ls, ignoreIndex, c)) {
    const { result, saved } = simdCrossEntropy(input.shape, x, t, n, c, reduction, totalWeight, wantGrad);
    return record(
      op,
      reduction === 'none' ? result.reshape(...outShape) : result,
      [input, target],
      savedGradBackward(saved, reduction, n, c, s),
    );
  }
  const out = reduction === 'none' ? Tensor.empty(outShape, input.dtype) : null;
  const o = out && out.data();
  const saved = wantGrad ? Tensor.empty(input.shape, input.dtype) : null;
  const gd = saved && saved.data();
  let nllSum = 0;
  let smoothSum = 0;
  for (let i0 = 0; i0 < n; i0++) {
    for (let j = 0; j < s; j++) {
      const i = i0 * s + j;
      const base = i0 * c * s + j;
      const k = t[i]!;
      if (k === ignoreIndex) {
        if (o) o[i] = 0;
        if (gd) for (let q = 0; q < c; q++) gd[base + q * s] = 0;
        continue;
      }
      let max = -Infinity;
      for (let q = 0; q < c; q++) {
        // A NaN logit is skipped here but still makes the sum of exponentials, and the loss, NaN.
        const v = x[base + q * s]!;
        if (v > max) max = v;
      }
      let sumExp = 0;
      for (let q = 0; q < c; q++) {
        const e = Math.exp(x[base + q * s]! - max);
        sumExp += e;
        if (gd) gd[base + q * s] = e;
      }
      const logSum = Math.log(sumExp);
      const wk = w ? w[k]! : 1;
      const nll = -wk * (x[base + k * s]! - max - logSum);
      let smooth = 0;
      if (ls > 0) for (let q = 0; q < c; q++) smooth -= (w ? w[q]! : 1) * (x[base + q * s]! - max - logSum);
      if (o) o[i] = ls > 0 ? (1 - ls) * nll + (ls / c) * smooth : nll;
      nllSum += nll;
      smoothSum += smooth;
      if (gd) {
        // With a, b the scales of the two terms, d/dx_q of a·w_k·(−log p_k) + b·Σ_r w_r·(−log p_r)
        // is p_q·(a·w_k + b·Σw) − b·w_q − a·w_k·[q = k].
        const pScale = (nllScale * wk + smoothScale * weightSum) / sumExp;
        for (let q = 0; q < c; q++) gd[base + q * s] = gd[base + q * s]! * pScale - smoothScale * (w ? w[q]! : 1);
        gd[base + k * s] = gd[base + k * s]! - nllScale * wk;
      }
    }
  }
  let result = out;
  if (!result) {
    const nllPart = (1 - ls) * (mean ? nllSum / totalWeight : nllSum);
    const value = ls > 0 ? nllPart + (ls / c) * (mean ? smoothSum / smoothCount : smoothSum) : nllPart;
    result = Tensor.empty([], input.dtype);
    result.data()[0] = value;
  }
  return record(op, result, [input, target], savedGradBackward(saved, reduction, n, c, s));
}

/** `torch.nn.CrossEntropyLoss`: the module form of `crossEntropy`. */
export class CrossEntropyLoss extends LossModule {
  readonly reduction: Reduction;
  readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;

  /**
   * Checks the options once: an unknown key or an invalid value throws, naming it.
   * @param options - see {@link CrossEntropyLossOptions}; default `{}`: 'mean' reduction, no weight, `ignoreIndex` −100, no
   *   label smoothing
   */
  constructor(options: CrossEntropyLossOptions = {}) {
    super();
    const checked = resolveOptions('CrossEntropyLoss', options);
    this.reduction = checked.reduction;
    this.weight = checked.weight;
    this.ignoreIndex = checked.ignoreIndex;
    this.labelSmoothing = checked.labelSmoothing;
  }

  /**
   * The loss of `input` against `target`, as {@link crossEntropy} with this module's options.
   * @param input - the logits, float32 or float64: [N, C], [N, C, d1, …, dk] or [C]
   * @param target - int32 class indices of `input`'s shape without the class dimension, or float class probabilities of
   *   `input`'s shape
   */
  forward(input: Tensor, target: Tensor): Tensor {
    const { reduction, weight, ignoreIndex, labelSmoothing } = this;
    return crossEntropy(input, target, { reduction, weight, ignoreIndex, labelSmoothing });
  }
}
