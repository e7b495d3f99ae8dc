import { isFloating } from '../dtype.js';
import { Tensor } from '../tensor/tensor.js';

/** A tensor that is a module's learnable parameter: a leaf that requires grad by default. */
export class Parameter extends Tensor {
  /**
   * @param data - the tensor whose storage, shape, strides and offset the parameter shares (not a copy).
   * @param requiresGrad - whether autograd computes its gradient (default true; then `data` must be
   *   floating-point).
   */
  constructor(data: Tensor, requiresGrad = true) {
    super(data.storage, data.shape, data.strides, data.offset);
    if (requiresGrad && !isFloating(data.dtype)) {
      throw new TypeError(`Parameter: only floating-point tensors can require gradients (dtype ${data.dtype})`);
    }
    this.requiresGrad = requiresGrad;
  }
}
