import { stridedCopyKernel } from '../kernels/definitions.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * `t` itself when contiguous, else a contiguous copy outside the autograd graph (by the
 * blocked strided-copy kernel). Kernels with a contiguous fast path use it on strided views.
 */
export function denseCopy(t: Tensor): Tensor {
  if (t.isContiguous()) return t;
  const out = Tensor.empty(t.shape, t.dtype);
  stridedCopyKernel.select(t.dtype)(t.shape, t.strides, t.storage.array(), t.offset, out.data(), 0);
  return out;
}
