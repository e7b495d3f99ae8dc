import type { TypedArray } from '../../dtype.js';

/**
 * Sum over the middle axis of a contiguous [outer, r, inner] block into out[outer, inner]: any
 * sum over consecutive dims of a contiguous tensor (all of them, the last ones, the leading
 * batch dims of a bias gradient). Rows are added in order into the output row.
 */
export function sumAxisJs(outer: number, r: number, inner: number, x: TypedArray, xOff: number, out: TypedArray, outOff: number): void {
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      let s = 0;
      for (let k = 0, p = xOff + o * r; k < r; k++) s += x[p + k]!;
      out[outOff + o] = s;
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const dst = outOff + o * inner;
    out.fill(0, dst, dst + inner);
    for (let k = 0; k < r; k++) {
      const src = xOff + (o * r + k) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] = out[dst + i]! + x[src + i]!;
    }
  }
}
