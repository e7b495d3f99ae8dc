import type { TypedArray } from '../../dtype.js';

/**
 * Softmax (or log-softmax when `log`) of each of `rows` contiguous rows of `n` elements:
 * out = e^(x − max) / Σ e^(x − max), or x − max − log Σ e^(x − max). A row holding NaN gives
 * NaN; a row of −∞ gives NaN (as PyTorch).
 */
export function softmaxRowsJs(rows: number, n: number, x: TypedArray, xOff: number, out: TypedArray, outOff: number, log: boolean): void {
  for (let r = 0; r < rows; r++) {
    const xi = xOff + r * n;
    const oi = outOff + r * n;
    let max = -Infinity;
    for (let j = 0; j < n; j++) {
      const v = x[xi + j]!;
      if (v > max || v !== v) max = v;
    }
    let sum = 0;
    if (log) {
      for (let j = 0; j < n; j++) sum += Math.exp(x[xi + j]! - max);
      const shift = max + Math.log(sum);
      for (let j = 0; j < n; j++) out[oi + j] = x[xi + j]! - shift;
    } else {
      for (let j = 0; j < n; j++) {
        const e = Math.exp(x[xi + j]! - max);
        out[oi + j] = e;
        sum += e;
      }
      const inv = 1 / sum;
      for (let j = 0; j < n; j++) out[oi + j] = out[oi + j]! * inv;
    }
  }
}

/**
 * The backward of `softmaxRowsJs` from its output y: gradIn = y·(g − Σ g·y) for softmax and
 * g − e^y·Σ g for log-softmax, row by row.
 */
export function softmaxRowsBackwardJs(
  rows: number,
  n: number,
  y: TypedArray,
  yOff: number,
  gradOut: TypedArray,
  gOff: number,
  gradIn: TypedArray,
  giOff: number,
  log: boolean,
): void {
  for (let r = 0; r < rows; r++) {
    const yi = yOff + r * n;
    const gi = gOff + r * n;
    const oi = giOff + r * n;
    let sum = 0;
    if (log) {
      for (let j = 0; j < n; j++) sum += gradOut[gi + j]!;
      for (let j = 0; j < n; j++) gradIn[oi + j] = gradOut[gi + j]! - Math.exp(y[yi + j]!) * sum;
    } else {
      for (let j = 0; j < n; j++) sum += gradOut[gi + j]! * y[yi + j]!;
      for (let j = 0; j < n; j++) gradIn[oi + j] = y[yi + j]! * (gradOut[gi + j]! - sum);
    }
  }
}

/**
 * log Σ e^x of each contiguous row, shifted by the row's max; an infinite max shifts by 0 (so a
 * row of −∞ gives −∞ and a row holding +∞ gives +∞, as PyTorch), and an empty row gives −∞.
 */
export function logsumexpRowsJs(rows: number, n: number, x: TypedArray, xOff: number, out: TypedArray, outOff: number): void {
  for (let r = 0; r < rows; r++) {
    const xi = xOff + r * n;
    let max = -Infinity;
    for (let j = 0; j < n; j++) {
      const v = x[xi + j]!;
      if (v > max) max = v;
    }
    if (max === Infinity || max === -Infinity) max = 0;
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.exp(x[xi + j]! - max);
    out[outOff + r] = Math.log(sum) + max;
  }
}
