import { isGradEnabled, record, Tensor } from '@loom/core';
import { checkFloating, checkTargetWithoutGrad } from './checks.js';
import { classWeights } from './class-target.js';
import { valuesOver } from './operands.js';
import type { Reduction } from './reduction.js';
import { savedGradBackward } from './saved-grad.js';

/**
 * Cross-entropy with class-probability targets of the input's shape, fused like the class-index
 * form: per sample, −Σ_q w_q·t_q·log p_q with t smoothed to (1 − ε)·t + ε/C, and the gradient
 * p_q·Σ_r w_r·t_r − w_q·t_q. 'mean' divides by the number of samples (N·d1⋯dk), whatever the weights.
 */
export function crossEntropyProbabilities(
  op: string,
  input: Tensor,
  target: Tensor,
  reduction: Reduction,
  weight: Tensor | null,
  labelSmoothing: number,
): Tensor {
  checkFloating(op, target, 'target');
  checkTargetWithoutGrad(op, target);
  const unbatched = input.ndim === 1;
  const n = unbatched ? 1 : input.shape[0]!;
  const c = unbatched ? input.shape[0]! : input.shape[1]!;
  const s = unbatched ? 1 : input.shape.slice(2).reduce((a, b) => a * b, 1);
  const outShape = unbatched ? [] : [n, ...input.shape.slice(2)];
  const w = classWeights(op, weight, c);
  const x = valuesOver(input, input.shape);
  const y = valuesOver(target, input.shape);
  const ls = labelSmoothing;
  const scale = reduction === 'mean' ? 1 / (n * s) : 1;

  const out = reduction === 'none' ? Tensor.empty(outShape, input.dtype) : null;
  const o = out && out.data();
  const saved = isGradEnabled() && input.requiresGrad ? Tensor.empty(input.shape, input.dtype) : null;
  const gd = saved && saved.data();
  let total = 0;
  for (let i0 = 0; i0 < n; i0++) {
    for (let j = 0; j < s; j++) {
      const base = i0 * c * s + j;
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
      let loss = 0;
      let targetMass = 0;
      for (let q = 0; q < c; q++) {
        const tq = ls > 0 ? y[base + q * s]! * (1 - ls) + ls / c : y[base + q * s]!;
        const wt = w ? tq * w[q]! : tq;
        loss -= wt * (x[base + q * s]! - max - logSum);
        targetMass += wt;
      }
      if (o) o[i0 * s + j] = loss;
      else total += loss;
      if (gd) {
        const pScale = (targetMass * scale) / sumExp;
        for (let q = 0; q < c; q++) {
          const tq = ls > 0 ? y[base + q * s]! * (1 - ls) + ls / c : y[base + q * s]!;
          gd[base + q * s] = gd[base + q * s]! * pScale - (w ? tq * w[q]! : tq) * scale;
        }
      }
    }
  }
  let result = out;
  if (!result) {
    result = Tensor.empty([], input.dtype);
    result.data()[0] = reduction === 'mean' ? total / (n * s) : total;
  }
  return record(op, result, [input, target], savedGradBackward(saved, reduction, n, c, s));
}
