import { assertDType, type DType, isFloating, storedValue } from '../dtype.js';
import { checkInPlace } from '../autograd/in-place.js';
import { record } from '../autograd/record.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { stridedCopyJs } from '../kernels/js/strided-copy.js';
import { stridedCopyKernel } from '../kernels/definitions.js';
import { Tensor } from '../tensor/tensor.js';

function copyElements(src: Tensor, dst: Tensor): void {
  const from = src.storage.array();
  const to = dst.data();
  if (dst.dtype === 'bool' && src.dtype !== 'bool') {
    // A Uint8Array store keeps the low byte (2 → 2, −1 → 255, 0.5 → 0); bool is non-zero → 1.
    const values = new Float64Array(src.numel);
    stridedCopyJs(src.shape, src.strides, from, src.offset, values, 0);
    for (let i = 0; i < values.length; i++) to[i] = storedValue('bool', values[i]!);
    return;
  }
  // Typed-array stores convert: into an Int32Array they truncate toward zero, as PyTorch's casts do.
  stridedCopyKernel.select(src.dtype)(src.shape, src.strides, from, src.offset, to, 0);
}

/**
 * A contiguous tensor with the same values: itself when already contiguous.
 * @param t - any tensor; a non-contiguous one (a transpose, a strided slice) is copied, as `clone`.
 */
export function contiguous(t: Tensor): Tensor {
  if (t.isContiguous()) return t;
  return clone(t);
}

/**
 * A new contiguous copy that stays in the autograd graph.
 * @param t - any tensor; the copy has its shape and dtype and passes the gradient straight back.
 */
export function clone(t: Tensor): Tensor {
  const out = Tensor.empty(t.shape, t.dtype);
  copyElements(t, out);
  return record('clone', out, [t], (g) => [g]);
}

/**
 * A copy converted to `dtype` (itself when it already has it); gradients convert back.
 * @param t - the tensor converted, any layout (the copy is contiguous)
 * @param dtype - the target element type; floats into int32 truncate toward zero and into bool
 *   every non-zero value (NaN too) is true, as PyTorch's casts do; only a floating result stays
 *   in the autograd graph
 */
export function to(t: Tensor, dtype: DType): Tensor {
  assertDType(dtype, 'to');
  if (t.dtype === dtype) return t;
  const out = Tensor.empty(t.shape, dtype);
  copyElements(t, out);
  if (!isFloating(dtype)) return out;
  return record('to', out, [t], (g) => [to(g, t.dtype)]);
}

/**
 * A tensor sharing the storage of `t` but cut off from the autograd graph.
 * @param t - any tensor; writes through either one show in the other.
 */
export function detach(t: Tensor): Tensor {
  return new Tensor(t.storage, t.shape, t.strides, t.offset);
}

/**
 * Copies `src` into `dst` in place (no autograd), converting the dtype; `src` must have the same
 * shape or hold a single element. `dst` must be contiguous.
 * @param dst - the contiguous tensor written; refused in grad mode for a leaf that requires grad
 *   (see {@link checkInPlace}).
 * @param src - a tensor of dst's shape, or of one element that fills all of dst; converted to
 *   dst's dtype (into int32, floats truncate toward zero; into bool, non-zero is true).
 */
export function copyInto(dst: Tensor, src: Tensor): Tensor {
  if (!dst.isContiguous()) throw new Error('copy_: the destination must be contiguous');
  checkInPlace(dst, 'copy_');
  if (!shapesEqual(dst.shape, src.shape)) {
    if (src.numel !== 1) throw new RangeError(`copy_: cannot copy shape ${formatShape(src.shape)} into ${formatShape(dst.shape)}`);
    dst.data().fill(storedValue(dst.dtype, src.item()));
    return dst;
  }
  copyElements(src, dst);
  return dst;
}
