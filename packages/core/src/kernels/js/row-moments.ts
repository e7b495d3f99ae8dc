import type { TypedArray } from '../../dtype.js';

/**
 * Σ (x − centre)² over each contiguous row of `n` elements, the second pass of the norms' row
 * statistics (their first pass, the row sums, is `sumAxis`): out[r] = Σⱼ (x[r·n + j] − centres[r])².
 */
export function centredSquaresJs(
  rows: number,
  n: number,
  x: TypedArray,
  xOff: number,
  centres: TypedArray,
  cOff: number,
  out: TypedArray,
  outOff: number,
): void {
  for (let r = 0; r < rows; r++) {
    const c = centres[cOff + r]!;
    let s = 0;
    for (let j = 0, p = xOff + r * n; j < n; j++) {
      const d = x[p + j]! - c;
      s += d * d;
    }
    out[outOff + r] = s;
  }
}
