import type { TypedArray } from '../../dtype.js';
import { isRowMajor } from '../../tensor/shape.js';

/** Tile edge of the blocked copy of transposed layouts (a tile of float64 stays in L1). */
const TILE = 32;
/** Elements from which a dense copy goes through `TypedArray.set`. */
const DENSE_SET_MIN = 4096;

/**
 * Copies the elements of a strided view (shape/strides from `srcOff` in `src`) into `dst` from
 * `dstOff` in row-major order, converting to `dst`'s type (truncating toward zero into an
 * Int32Array). No per-element callback: runs along the last dim, or 32×32 tiles of the last two
 * dims where the last dim is strided (transposes), so that reads and writes both stay in cache.
 */
export function stridedCopyJs(
  shape: readonly number[],
  strides: readonly number[],
  src: TypedArray,
  srcOff: number,
  dst: TypedArray,
  dstOff: number,
): void {
  let n = 1;
  for (const d of shape) n *= d;
  if (n === 0) return;
  if (shape.length === 0) {
    dst[dstOff] = src[srcOff]!;
    return;
  }
  if (src.constructor === dst.constructor && isRowMajor(shape, strides)) {
    // A dense copy: `set` for long runs; a loop for short ones, where the subarray `set` needs would be garbage.
    if (n >= DENSE_SET_MIN) dst.set(src.subarray(srcOff, srcOff + n), dstOff);
    else for (let i = 0; i < n; i++) dst[dstOff + i] = src[srcOff + i]!;
    return;
  }
  const nd = shape.length;
  const C = shape[nd - 1]!;
  const sC = strides[nd - 1]!;
  const tiled = nd >= 2 && sC !== 1 && C >= TILE && shape[nd - 2]! >= TILE;
  // Outer dims: all but the last one (runs) or all but the last two (tiles).
  const outerDims = tiled ? nd - 2 : nd - 1;
  const R = tiled ? shape[nd - 2]! : 1;
  const sR = tiled ? strides[nd - 2]! : 0;
  const block = R * C;
  const idx = new Array<number>(Math.max(outerDims, 0)).fill(0);
  let p = srcOff;
  for (let o = dstOff; o < dstOff + n; o += block) {
    if (tiled) {
      for (let r0 = 0; r0 < R; r0 += TILE) {
        const r1 = Math.min(r0 + TILE, R);
        for (let c0 = 0; c0 < C; c0 += TILE) {
          const c1 = Math.min(c0 + TILE, C);
          for (let r = r0; r < r1; r++) {
            const drow = o + r * C;
            for (let c = c0, q = p + r * sR + c0 * sC; c < c1; c++, q += sC) dst[drow + c] = src[q]!;
          }
        }
      }
    } else {
      for (let i = 0, q = p; i < C; i++, q += sC) dst[o + i] = src[q]!;
    }
    for (let d = outerDims - 1; d >= 0; d--) {
      p += strides[d]!;
      if (++idx[d]! < shape[d]!) break;
      p -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}
