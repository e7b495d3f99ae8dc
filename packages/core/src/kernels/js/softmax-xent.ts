import type { TypedArray } from '../../dtype.js';

/**
 * Fused softmax-cross-entropy over `rows` contiguous rows of `n` logits: loss[r] =
 * log Σ e^x − x[target[r]] and, when `grad` is given, grad[r] = softmax(x[r]) − onehot(target[r])
 * (the gradient of loss[r]). A target outside [0, n) — an ignored row — gives loss 0 and a zero
 * gradient row; the caller reduces and scales (mean, weights, ignoreIndex counts).
 */
export function softmaxXentRowsJs(
  rows: number,
  n: number,
  x: TypedArray,
  xOff: number,
  targets: Int32Array,
  tOff: number,
  loss: TypedArray,
  lossOff: number,
  grad: TypedArray | null,
  gOff: number,
): void {
  for (let r = 0; r < rows; r++) {
    const xi = xOff + r * n;
    const gi = gOff + r * n;
    const t = targets[tOff + r]!;
    if (t < 0 || t >= n) {
      loss[lossOff + r] = 0;
      grad?.fill(0, gi, gi + n);
      continue;
    }
    let max = -Infinity;
    for (let j = 0; j < n; j++) {
      const v = x[xi + j]!;
      if (v > max || v !== v) max = v;
    }
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.exp(x[xi + j]! - max);
    loss[lossOff + r] = max + Math.log(sum) - x[xi + t]!;
    if (grad) {
      for (let j = 0; j < n; j++) grad[gi + j] = Math.exp(x[xi + j]! - max) / sum;
      grad[gi + t] = grad[gi + t]! - 1;
    }
  }
}
