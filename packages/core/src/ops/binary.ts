import { checkInPlace } from '../autograd/in-place.js';
import { fillData } from './fill.js';
import { record, recording } from '../autograd/record.js';
import { type DType, isFloating, promoteTypes, storedValue } from '../dtype.js';
import { binaryKernel } from '../kernels/definitions.js';
import type { BinaryOp } from '../kernels/js/binary.js';
import { broadcastShapes, broadcastStrides, formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { formatValue } from '../util/format-value.js';
import { to } from './copy.js';
import { scalar } from './creation.js';
import { checkFillValue, checkInPlaceAlpha, checkInPlaceCast } from './in-place-casting.js';
import { sumTo } from './reduce.js';

/** A tensor or a number, as binary ops accept. */
export type TensorLike = Tensor | number;

/** The dtype a number operand takes beside `other`. */
function numberDType(n: number, other: TensorLike): DType {
  const d = other instanceof Tensor ? other.dtype : 'float32';
  return isFloating(d) || Number.isInteger(n) ? (d === 'bool' ? 'int32' : d) : 'float32';
}

/**
 * Turns the operands of a binary op into tensors of one dtype. A number takes the dtype of the
 * tensor beside it (as a Python scalar does in PyTorch), except that a fractional number next to
 * an integer tensor gives float32.
 * Internal: the building block of binary ops, not an op.
 * @internal
 */
export function binaryOperands(a: TensorLike, b: TensorLike, floatResult = false): [Tensor, Tensor, DType] {
  checkOperand(a);
  checkOperand(b);
  const ta = a instanceof Tensor ? a : scalar(a, numberDType(a, b));
  const tb = b instanceof Tensor ? b : scalar(b, numberDType(b, a));
  let dtype = promoteTypes(ta.dtype, tb.dtype);
  if (dtype === 'bool') dtype = 'int32';
  if (floatResult && !isFloating(dtype)) dtype = 'float32';
  return [to(ta, dtype), to(tb, dtype), dtype];
}

/**
 * Throws unless `value` is a tensor or a number: a string or a boolean would otherwise be coerced
 * by the typed array it is stored in ('2' as 2, true as 1) or turn into NaN.
 * Internal: the check of binary ops' operands, not an op.
 * @param value - an operand as the caller gave it
 * @internal
 */
export function checkOperand(value: unknown): asserts value is TensorLike {
  if (value instanceof Tensor || typeof value === 'number') return;
  throw new TypeError(`expected a Tensor or a number as an operand, got ${formatValue(value)}`);
}

/**
 * Runs the elementwise kernel for `op` over the broadcast shape of two same-dtype tensors.
 * Internal: the building block of binary ops, not an op.
 * @internal
 */
export function binaryForward(op: BinaryOp, a: Tensor, b: Tensor, name: string): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, name);
  const out = Tensor.emptyOwning(shape, a.dtype);
  binaryKernel.select(a.dtype)(
    op,
    shape,
    out.data(),
    0,
    a.storage.array(),
    a.offset,
    broadcastStrides(a.shape, a.strides, shape),
    shapesEqual(a.shape, shape) && a.isContiguous(),
    b.storage.array(),
    b.offset,
    broadcastStrides(b.shape, b.strides, shape),
    shapesEqual(b.shape, shape) && b.isContiguous(),
  );
  return out;
}

/**
 * a + b·alpha with broadcasting.
 * @param a - a tensor, or a number taking the dtype of `b`; the operands are promoted to one dtype
 *   (bool becomes int32).
 * @param b - a tensor broadcastable with `a`, or a number taking the dtype of `a`.
 * @param alpha - the multiplier of `b` (default 1).
 */
export function add(a: TensorLike, b: TensorLike, alpha = 1): Tensor {
  if (alpha !== 1) return add(a, mul(b, alpha));
  const [x, y] = binaryOperands(a, b);
  const out = binaryForward('add', x, y, 'add');
  if (!recording(x, y)) return out;
  return record('add', out, [x, y], (g) => [sumTo(g, x.shape), sumTo(g, y.shape)]);
}

/**
 * a − b·alpha with broadcasting, as `torch.sub`.
 * @param a - the minuend: a tensor, or a number promoted as a Python scalar is in PyTorch
 * @param b - the subtrahend, broadcast against `a`; a tensor or a number
 * @param alpha - the multiplier of `b` (default 1)
 */
export function sub(a: TensorLike, b: TensorLike, alpha = 1): Tensor {
  if (alpha !== 1) return sub(a, mul(b, alpha));
  const [x, y] = binaryOperands(a, b);
  const out = binaryForward('sub', x, y, 'sub');
  if (!recording(x, y)) return out;
  return record('sub', out, [x, y], (g) => [sumTo(g, x.shape), sumTo(neg(g), y.shape)]);
}

/**
 * a · b elementwise with broadcasting.
 * @param a - the first factor: a tensor, or a number promoted as a Python scalar is in PyTorch
 * @param b - the second factor, broadcast against `a`; a tensor or a number
 */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryOperands(a, b);
  const out = binaryForward('mul', x, y, 'mul');
  if (!recording(x, y)) return out;
  return record('mul', out, [x, y], (g) => [
    x.requiresGrad ? sumTo(mul(g, y), x.shape) : null,
    y.requiresGrad ? sumTo(mul(g, x), y.shape) : null,
  ]);
}

/**
 * a / b elementwise with broadcasting (true division: integers give float32).
 * @param a - the dividend: a tensor, or a number taking the dtype of `b`.
 * @param b - the divisor: a tensor broadcastable with `a`, or a number taking the dtype of `a`;
 *   division by zero gives ±Infinity or NaN, as IEEE floats do.
 */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryOperands(a, b, true);
  const out = binaryForward('div', x, y, 'div');
  return record('div', out, [x, y], (g) => [
    x.requiresGrad ? sumTo(div(g, y), x.shape) : null,
    y.requiresGrad ? sumTo(neg(div(mul(g, out), y)), y.shape) : null,
  ]);
}

/**
 * −a.
 * @param a - the tensor to negate (bool gives int32, as multiplying by -1 promotes it)
 */
export function neg(a: Tensor): Tensor {
  return mul(a, -1);
}

/**
 * In place: dst ← dst ∘ src (src broadcast to dst's shape), without autograd. The in-place ops
 * (`add_`, `mul_`, …) and gradient accumulation use it so that nothing is allocated.
 * Internal: the building block of binary ops, not an op.
 * @internal
 */
export function binaryInPlace(op: BinaryOp, dst: Tensor, src: TensorLike, name: string): Tensor {
  if (!dst.isContiguous()) throw new Error(`${name}: the destination must be contiguous`);
  const s = src instanceof Tensor ? to(src, dst.dtype) : scalar(src, dst.dtype);
  const shape = broadcastShapes(dst.shape, s.shape, name);
  if (!shapesEqual(shape, dst.shape)) {
    throw new RangeError(`${name}: cannot broadcast ${formatShape(s.shape)} into the shape ${formatShape(dst.shape)} of the destination`);
  }
  checkInPlace(dst, name);
  const data = dst.storage.array();
  binaryKernel.select(dst.dtype)(
    op,
    shape,
    data,
    dst.offset,
    data,
    dst.offset,
    dst.strides,
    true,
    s.storage.array(),
    s.offset,
    broadcastStrides(s.shape, s.strides, shape),
    shapesEqual(s.shape, shape) && s.isContiguous(),
  );
  return dst;
}

/**
 * dst += src·alpha in place (no autograd).
 * @param dst - the contiguous tensor written; refused in grad mode for a leaf that requires grad
 *   (see {@link checkInPlace}).
 * @param src - a tensor broadcastable to dst's shape (converted to dst's dtype), or a number; a
 *   float into an int32 `dst`, or anything but a bool tensor into a bool one, throws as in PyTorch
 *   (bool + bool is logical or).
 * @param alpha - the multiplier of `src` (default 1): an integer for an int32 `dst`, 1 for a bool one.
 */
export function add_(dst: Tensor, src: TensorLike, alpha = 1): Tensor {
  checkInPlaceCast(dst, src, 'add_');
  checkInPlaceAlpha(dst, alpha);
  // On bools `+` is logical or, as in PyTorch (the max of 0/1 values; a sum would store 2).
  return binaryInPlace(
    dst.dtype === 'bool' ? 'maximum' : 'add',
    dst,
    alpha === 1 || typeof src === 'number' ? (typeof src === 'number' ? src * alpha : src) : mul(src, alpha),
    'add_',
  );
}

/**
 * dst *= src in place (no autograd).
 * @param dst - the contiguous tensor written; a leaf that requires grad throws while grad mode is on
 * @param src - a tensor broadcastable to `dst`'s shape (converted to its dtype), or a number; a
 *   float into an int32 `dst`, or anything but a bool tensor into a bool one, throws as in PyTorch
 */
export function mul_(dst: Tensor, src: TensorLike): Tensor {
  checkInPlaceCast(dst, src, 'mul_');
  return binaryInPlace('mul', dst, src, 'mul_');
}

function fillInPlace(dst: Tensor, value: number, name: string): Tensor {
  if (!dst.isContiguous()) throw new Error(`${name}: the destination must be contiguous`);
  checkFillValue(dst, value, name);
  checkInPlace(dst, name);
  fillData(dst.data(), dst.dtype, storedValue(dst.dtype, value));
  return dst;
}

/**
 * Fills a contiguous tensor with `value` in place.
 * @param dst - the contiguous tensor written; a leaf that requires grad throws while grad mode is on
 * @param value - the fill value, stored as `dst`'s dtype stores it (truncated for int32; for
 *   bool, true when non-zero, NaN included); one the dtype cannot hold (NaN or beyond int32's
 *   range into int32, beyond float32's range into float32) throws, as in PyTorch
 */
export function fill_(dst: Tensor, value: number): Tensor {
  return fillInPlace(dst, value, 'fill_');
}

/**
 * Fills a contiguous tensor with zeros in place.
 * @param dst - the contiguous tensor written; a leaf that requires grad throws while grad mode is on
 */
export function zero_(dst: Tensor): Tensor {
  return fillInPlace(dst, 0, 'zero_');
}
