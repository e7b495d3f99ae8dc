import { assertDType, type DType, isFloating } from '../dtype.js';
import { checkInPlace } from '../autograd/in-place.js';
import { record } from '../autograd/record.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { stridedCopyJs } from '../kernels/js/strided-copy.js';
import { Tensor } from '../tensor/tensor.js';

function copyElements(src: Tensor, dst: Tensor): void {
  const from = src.storage.array();
  const to = dst.data();
  if (src.isContiguous() && from.constructor === to.constructor) {
    to.set(from.subarray(src.offset, src.offset + src.numel));
    return;
  }
  // Typed-array stores convert: into an Int32Array they truncate toward zero, as PyTorch's casts do.
  stridedCopyJs(src.shape, src.strides, from, src.offset, to, 0);
}

/** A contiguous tensor with the same values: itself when already contiguous. */
export function contiguous(t: Tensor): Tensor {
  if (t.isContiguous()) return t;
  return clone(t);
}

/** A new contiguous copy that stays in the autograd graph. */
export function clone(t: Tensor): Tensor {
  const out = Tensor.empty(t.shape, t.dtype);
  copyElements(t, out);
  return record('clone', out, [t], (g) => [g]);
}

/**
 * A copy converted to `dtype` (itself when it already has it); gradients convert back.
 * @param t - the tensor converted, any layout (the copy is contiguous)
 * @param dtype - the target element type; floats into int32 truncate toward zero, as PyTorch's
 *   casts do, and only a floating result stays in the autograd graph
 */
export function to(t: Tensor, dtype: DType): Tensor {
  assertDType(dtype, 'to');
  if (t.dtype === dtype) return t;
  const out = Tensor.empty(t.shape, dtype);
  copyElements(t, out);
  if (!isFloating(dtype)) return out;
  return record('to', out, [t], (g) => [to(g, t.dtype)]);
}

/** A tensor sharing the storage of `t` but cut off from the autograd graph. */
export function detach(t: Tensor): Tensor {
  return new Tensor(t.storage, t.shape, t.strides, t.offset);
}

/**
 * Copies `src` into `dst` in place (no autograd), converting the dtype; `src` must have the same
 * shape or broadcast to it. `dst` must be contiguous.
 */
export function copyInto(dst: Tensor, src: Tensor): Tensor {
  if (!dst.isContiguous()) throw new Error('copy_: the destination must be contiguous');
  checkInPlace(dst, 'copy_');
  if (!shapesEqual(dst.shape, src.shape)) {
    if (src.numel !== 1) throw new RangeError(`copy_: cannot copy shape ${formatShape(src.shape)} into ${formatShape(dst.shape)}`);
    dst.data().fill(src.item());
    return dst;
  }
  copyElements(src, dst);
  return dst;
}
