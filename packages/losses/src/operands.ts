import { broadcastStrides, forEachOffset, shapesEqual, sumTo, Tensor, type Shape, type TypedArray } from '@loom/core';

/**
 * The elements of `t` as one flat row-major array over `shape`, which `t` broadcasts to: the
 * tensor's own memory when it is contiguous and already of that shape, otherwise a copy. Read it
 * at once: after other tensor ops the tensor's memory may have moved (fetch it again).
 */
export function valuesOver(t: Tensor, shape: Shape): TypedArray {
  if (shapesEqual(t.shape, shape) && t.isContiguous()) return t.data();
  const view = new Tensor(t.storage, shape, broadcastStrides(t.shape, t.strides, shape), t.offset);
  const out = Tensor.empty(shape, t.dtype);
  const dst = out.data();
  const src = t.storage.array();
  forEachOffset(view, (off, i) => {
    dst[i] = src[off]!;
  });
  return dst;
}

/** Sums a gradient computed over the broadcast shape back to the shape of the operand `t`. */
export function gradTo(grad: Tensor, t: Tensor): Tensor {
  return shapesEqual(grad.shape, t.shape) ? grad : sumTo(grad, t.shape);
}
