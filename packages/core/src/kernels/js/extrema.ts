import type { TypedArray } from '../../dtype.js';

/**
 * The max (or min when `!isMax`) of each of `rows` contiguous rows of `n ≥ 1` elements, with the
 * index of its first occurrence; NaN counts as the extreme (the first NaN wins), as PyTorch's CPU
 * kernels. Pass `indices = null` when only the values are wanted, and `values = null` for
 * argmax/argmin.
 */
export function extremumRowsJs(
  rows: number,
  n: number,
  x: TypedArray,
  xOff: number,
  values: TypedArray | null,
  vOff: number,
  indices: Int32Array | null,
  iOff: number,
  isMax: boolean,
): void {
  for (let r = 0; r < rows; r++) {
    const xi = xOff + r * n;
    let best = x[xi]!;
    let at = 0;
    if (best === best) {
      if (isMax) {
        for (let j = 1; j < n; j++) {
          const v = x[xi + j]!;
          if (!(v <= best)) {
            best = v;
            at = j;
            if (v !== v) break;
          }
        }
      } else {
        for (let j = 1; j < n; j++) {
          const v = x[xi + j]!;
          if (!(v >= best)) {
            best = v;
            at = j;
            if (v !== v) break;
          }
        }
      }
    }
    if (values) values[vOff + r] = best;
    if (indices) indices[iOff + r] = at;
  }
}

/**
 * The variance of each contiguous row of `n` elements, Σ(x − mean)² / max(0, n − correction),
 * computed in two passes.
 */
export function varianceRowsJs(
  rows: number,
  n: number,
  x: TypedArray,
  xOff: number,
  out: TypedArray,
  outOff: number,
  correction: number,
): void {
  const divisor = Math.max(0, n - correction);
  for (let r = 0; r < rows; r++) {
    const xi = xOff + r * n;
    let s = 0;
    for (let j = 0; j < n; j++) s += x[xi + j]!;
    const mean = s / n;
    let m2 = 0;
    let c = 0;
    for (let j = 0; j < n; j++) {
      const d = x[xi + j]! - mean;
      m2 += d * d;
      c += d;
    }
    // Compensate the rounding of the mean (the corrected two-pass algorithm).
    out[outOff + r] = (m2 - (c * c) / n) / divisor;
  }
}
