/**
 * Shared machinery of the elementwise, softmax and extrema ops (not exported from the package):
 * the unary-kernel op wrapper and the "reduced dims last" row layout.
 */
import { record } from '../autograd/record.js';
import { isFloating } from '../dtype.js';
import { unaryBackwardKernel, unaryKernel } from '../kernels/definitions.js';
import type { UnaryOp } from '../kernels/js/unary.js';
import { Tensor } from '../tensor/tensor.js';
import { detach, to } from './copy.js';
import { permute } from './views.js';

/** How a unary op treats integer and bool inputs. */
export type UnaryDType = 'float' | 'keep';

/**
 * Applies the unary kernel `op` (with its scalar parameters) and records its backward. With
 * `'float'`, integer and bool inputs are computed in float32 (as PyTorch's float ops do);
 * with `'keep'`, the dtype stays (bool becomes int32).
 */
export function unaryOp(name: string, op: UnaryOp, x: Tensor, mode: UnaryDType, p0 = 0, p1 = 0): Tensor {
  let src = x;
  if (!isFloating(x.dtype) && (mode === 'float' || x.dtype === 'bool')) src = to(x, mode === 'float' ? 'float32' : 'int32');
  const xc = denseCopy(src);
  const out = Tensor.empty(src.shape, src.dtype);
  unaryKernel.select(src.dtype)(op, out.numel, xc.storage.array(), xc.offset, out.storage.array(), 0, p0, p1);
  return record(name, out, [src], (g) => {
    const gc = denseCopy(to(g, src.dtype));
    const gi = Tensor.empty(src.shape, src.dtype);
    unaryBackwardKernel.select(src.dtype)(
      op,
      gi.numel,
      xc.storage.array(),
      xc.offset,
      out.storage.array(),
      0,
      gc.storage.array(),
      gc.offset,
      gi.storage.array(),
      0,
      p0,
      p1,
    );
    return [gi];
  });
}

/**
 * A tensor laid out as `rows` contiguous rows of `n` elements: the reduced dims moved last (in
 * order), the other dims first (in order). `perm` is null where no move was needed.
 */
export interface RowLayout {
  readonly t: Tensor;
  readonly perm: readonly number[] | null;
  readonly rows: number;
  readonly n: number;
}

/**
 * `x` (outside the autograd graph) with the sorted dims `dims` moved last and made contiguous;
 * a copy only where `x` is not already in that layout.
 */
export function toRows(x: Tensor, dims: readonly number[]): RowLayout {
  const d = detach(x);
  if (x.ndim === 0) return { t: d, perm: null, rows: 1, n: 1 };
  const perm: number[] = [];
  let rows = 1;
  let n = 1;
  for (let i = 0; i < x.ndim; i++) {
    if (!dims.includes(i)) {
      perm.push(i);
      rows *= x.shape[i]!;
    }
  }
  for (const i of dims) {
    perm.push(i);
    n *= x.shape[i]!;
  }
  const identity = perm.every((p, i) => p === i);
  return { t: denseCopy(identity ? d : permute(d, perm)), perm: identity ? null : perm, rows, n };
}

/** The inverse of `toRows`: a row-layout tensor back in the original dim order, contiguous. */
export function fromRows(t: Tensor, perm: readonly number[] | null): Tensor {
  if (!perm) return t;
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return denseCopy(permute(t, inverse));
}

/** Tile edge of the blocked copy of transposed layouts (a tile of float64 stays in L1). */
const TILE = 32;

/**
 * `t` itself when contiguous, else a contiguous copy outside the autograd graph, without a
 * per-element callback: runs along the last dim, or 32×32 tiles of the last two dims where the
 * last dim is strided (transposes), so that reads and writes both stay in cache.
 */
export function denseCopy(t: Tensor): Tensor {
  if (t.isContiguous()) return t;
  const out = Tensor.empty(t.shape, t.dtype);
  const n = out.numel;
  if (n === 0) return out;
  const src = t.storage.array();
  const dst = out.storage.array();
  const { shape, strides } = t;
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
  let p = t.offset;
  for (let o = 0; o < n; o += block) {
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
  return out;
}
