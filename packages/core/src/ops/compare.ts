import { compareKernel } from '../kernels/definitions.js';
import type { CompareOp } from '../kernels/js/compare.js';
import { broadcastShapes, broadcastStrides, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { binaryOperands, type TensorLike } from './binary.js';

/**
 * Compares a and b elementwise with broadcasting, in their promoted dtype (a number takes the
 * dtype of the tensor beside it), into a bool tensor. Comparisons have no gradient.
 */
function compare(op: CompareOp, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryOperands(a, b);
  const shape = broadcastShapes(x.shape, y.shape, op);
  const out = Tensor.empty(shape, 'bool');
  compareKernel.select(x.dtype)(
    op,
    shape,
    out.storage.array(),
    0,
    x.storage.array(),
    x.offset,
    broadcastStrides(x.shape, x.strides, shape),
    shapesEqual(x.shape, shape) && x.isContiguous(),
    y.storage.array(),
    y.offset,
    broadcastStrides(y.shape, y.strides, shape),
    shapesEqual(y.shape, shape) && y.isContiguous(),
  );
  return out;
}

/**
 * a == b elementwise (bool; NaN equals nothing).
 * @param a - the left operand: a tensor, or a number promoted as a Python scalar is in PyTorch
 * @param b - the right operand, broadcast against `a`; a tensor or a number
 */
export function eq(a: TensorLike, b: TensorLike): Tensor {
  return compare('eq', a, b);
}

/**
 * a != b elementwise (bool).
 * @param a - the left operand: a tensor, or a number promoted as a Python scalar is in PyTorch
 * @param b - the right operand, broadcast against `a`; a tensor or a number
 */
export function ne(a: TensorLike, b: TensorLike): Tensor {
  return compare('ne', a, b);
}

/**
 * a < b elementwise (bool).
 * @param a - the left operand: a tensor, or a number promoted as a Python scalar is in PyTorch
 * @param b - the right operand, broadcast against `a`; a tensor or a number
 */
export function lt(a: TensorLike, b: TensorLike): Tensor {
  return compare('lt', a, b);
}

/**
 * a <= b elementwise (bool).
 * @param a - the left operand: a tensor, or a number promoted as a Python scalar is in PyTorch
 * @param b - the right operand, broadcast against `a`; a tensor or a number
 */
export function le(a: TensorLike, b: TensorLike): Tensor {
  return compare('le', a, b);
}

/**
 * a > b elementwise (bool).
 * @param a - the left operand: a tensor, or a number promoted as a Python scalar is in PyTorch
 * @param b - the right operand, broadcast against `a`; a tensor or a number
 */
export function gt(a: TensorLike, b: TensorLike): Tensor {
  return compare('gt', a, b);
}

/**
 * a >= b elementwise (bool).
 * @param a - the left operand: a tensor, or a number promoted as a Python scalar is in PyTorch
 * @param b - the right operand, broadcast against `a`; a tensor or a number
 */
export function ge(a: TensorLike, b: TensorLike): Tensor {
  return compare('ge', a, b);
}
