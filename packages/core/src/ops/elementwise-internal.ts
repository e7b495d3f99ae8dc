/**
 * Shared machinery of the elementwise, softmax and extrema ops (not exported from the package):
 * the unary-kernel op wrapper and the "reduced dims last" row layout.
 */
import { record, recording } from '../autograd/record.js';
import { isFloating } from '../dtype.js';
import { unaryBackwardKernel, unaryKernel } from '../kernels/definitions.js';
import type { UnaryOp } from '../kernels/js/unary.js';
import { Tensor } from '../tensor/tensor.js';
import { detach, to } from './copy.js';
import { denseCopy } from './dense-copy.js';
import { permute } from './views.js';

export { denseCopy };

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
  if (!recording(src)) return out;
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
