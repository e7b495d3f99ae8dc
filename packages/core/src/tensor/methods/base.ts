/**
 * Tensor methods of the base ops: each one calls the op function of the same name, so
 * `x.add(y)` and `add(x, y)` are the same operation.
 */
import { backward, type BackwardOptions } from '../../autograd/backward.js';
import { type DType, isFloating } from '../../dtype.js';
import { add, add_, div, fill_, mul, mul_, neg, sub, zero_, type TensorLike } from '../../ops/binary.js';
import { clone, contiguous, copyInto, detach, to } from '../../ops/copy.js';
import { matmul } from '../../ops/matmul.js';
import { mean, sum } from '../../ops/reduce.js';
import { expand, flatten, narrow, permute, reshape, squeeze, t, transpose, unsqueeze, view } from '../../ops/views.js';
import type { Shape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { installMethods, shapeArgs } from './install.js';

declare module '../tensor.js' {
  interface Tensor {
    // autograd
    /**
     * Computes the gradients of this tensor with respect to the graph's leaves, accumulating them
     * into their `.grad`, as `torch.Tensor.backward`.
     * @param gradient The gradient of this tensor (may be omitted for a one-element tensor: then 1), or the options.
     * @param options Backward options (see `BackwardOptions`).
     */
    backward(gradient?: Tensor | BackwardOptions, options?: BackwardOptions): void;
    /** A view of the same storage outside the autograd graph. */
    detach(): Tensor;
    /**
     * Sets whether autograd records operations on this leaf; returns this.
     * @param requiresGrad Defaults to true; only floating-point leaves may require gradients.
     */
    requiresGrad_(requiresGrad?: boolean): Tensor;
    // copies and conversion
    /** A contiguous copy that stays in the autograd graph. */
    clone(): Tensor;
    /** This tensor if contiguous, else a contiguous copy. */
    contiguous(): Tensor;
    /**
     * A copy converted to `dtype` (this tensor itself when it already has it).
     * @param dtype The dtype of the result.
     */
    to(dtype: DType): Tensor;
    /** `to('float32')`. */
    float(): Tensor;
    /** `to('float64')`. */
    double(): Tensor;
    /** `to('int32')`: truncates toward zero. */
    int(): Tensor;
    /**
     * `to('int32')`, truncating toward zero: Loom's integer dtype is int32 (it has no int64), so a
     * value outside the int32 range (or NaN) throws instead of wrapping.
     */
    long(): Tensor;
    /**
     * Copies the values of `src` (of this shape, or one element) into this contiguous tensor, converting the dtype; returns this.
     * @param src The values to copy.
     */
    copy_(src: Tensor): Tensor;
    // views
    /**
     * A view with another shape (one size may be -1); the tensor must be contiguous.
     * @param shape The new sizes, as separate numbers or one array.
     */
    view(...shape: number[]): Tensor;
    /**
     * A view with another shape when possible, else a copy (one size may be -1).
     * @param shape The new sizes, as separate numbers or one array.
     */
    reshape(...shape: number[]): Tensor;
    /**
     * Merges dims `startDim`..`endDim` into one.
     * @param startDim The first dim to merge (default 0).
     * @param endDim The last dim to merge (default -1).
     */
    flatten(startDim?: number, endDim?: number): Tensor;
    /**
     * A view with the dims reordered.
     * @param dims The new order, as separate numbers or one array.
     */
    permute(...dims: number[]): Tensor;
    /**
     * A view with two dims swapped.
     * @param dim0 One dim.
     * @param dim1 The other dim.
     */
    transpose(dim0: number, dim1: number): Tensor;
    /** The transpose of a tensor of at most 2 dims. */
    t(): Tensor;
    /** A view with every dim reversed. */
    readonly T: Tensor;
    /**
     * Removes one size-1 dim, or every size-1 dim.
     * @param dim The dim to remove (default: all of size 1).
     */
    squeeze(dim?: number): Tensor;
    /**
     * Inserts a size-1 dim.
     * @param dim Where the new dim goes.
     */
    unsqueeze(dim: number): Tensor;
    /**
     * Broadcasts size-1 dims to a larger shape without copying.
     * @param shape The new sizes (-1 keeps a size), as separate numbers or one array.
     */
    expand(...shape: number[]): Tensor;
    /**
     * The slice `start`..`start + length` of one dim, as a view.
     * @param dim The dim to slice.
     * @param start The first index (negative counts from the end).
     * @param length How many entries.
     */
    narrow(dim: number, start: number, length: number): Tensor;
    // arithmetic
    /**
     * this + alpha · other, with broadcasting.
     * @param other A tensor or a number.
     * @param alpha Scales `other` (default 1).
     */
    add(other: TensorLike, alpha?: number): Tensor;
    /**
     * this − alpha · other, with broadcasting.
     * @param other A tensor or a number.
     * @param alpha Scales `other` (default 1).
     */
    sub(other: TensorLike, alpha?: number): Tensor;
    /**
     * this · other elementwise, with broadcasting.
     * @param other A tensor or a number.
     */
    mul(other: TensorLike): Tensor;
    /**
     * this / other elementwise, with broadcasting (always a floating-point result).
     * @param other A tensor or a number.
     */
    div(other: TensorLike): Tensor;
    /** −this. */
    neg(): Tensor;
    /**
     * Adds alpha · other into this tensor in place; returns this.
     * @param other A tensor (broadcast to this shape) or a number.
     * @param alpha Scales `other` (default 1).
     */
    add_(other: TensorLike, alpha?: number): Tensor;
    /**
     * Multiplies this tensor by other in place; returns this.
     * @param other A tensor (broadcast to this shape) or a number.
     */
    mul_(other: TensorLike): Tensor;
    /**
     * Sets every element to `value`; returns this.
     * @param value The value.
     */
    fill_(value: number): Tensor;
    /** Sets every element to 0; returns this. */
    zero_(): Tensor;
    /**
     * The matrix product, with `torch.matmul`'s rules for 1-D and batched operands.
     * @param other The right operand.
     */
    matmul(other: Tensor): Tensor;
    // reductions
    /**
     * The sum over `dim` (one dim, several, or all when omitted or `[]`).
     * @param dim The dim or dims to reduce.
     * @param keepdim Keep the reduced dims as size 1 (default false).
     */
    sum(dim?: number | readonly number[], keepdim?: boolean): Tensor;
    /**
     * The mean over `dim` (one dim, several, or all when omitted or `[]`); floating-point tensors only.
     * @param dim The dim or dims to reduce.
     * @param keepdim Keep the reduced dims as size 1 (default false).
     */
    mean(dim?: number | readonly number[], keepdim?: boolean): Tensor;
  }
}

installMethods({
  backward(this: Tensor, gradient?: Tensor | BackwardOptions, options?: BackwardOptions) {
    backward(this, gradient, options);
  },
  detach(this: Tensor) {
    return detach(this);
  },
  requiresGrad_(this: Tensor, requiresGrad = true) {
    if (!this.isLeaf) throw new Error('requiresGrad_: only leaf tensors can change requiresGrad');
    if (requiresGrad && this.dtype !== 'float32' && this.dtype !== 'float64') {
      throw new TypeError(`requiresGrad_: only floating-point tensors can require gradients (dtype ${this.dtype})`);
    }
    this.requiresGrad = requiresGrad;
    return this;
  },
  clone(this: Tensor) {
    return clone(this);
  },
  contiguous(this: Tensor) {
    return contiguous(this);
  },
  to(this: Tensor, dtype: DType) {
    return to(this, dtype);
  },
  float(this: Tensor) {
    return to(this, 'float32');
  },
  double(this: Tensor) {
    return to(this, 'float64');
  },
  int(this: Tensor) {
    return to(this, 'int32');
  },
  long(this: Tensor) {
    if (isFloating(this.dtype)) {
      for (const v of this.toArray()) {
        if (!(v > -2147483649 && v < 2147483648)) {
          throw new RangeError(
            `long: value ${v} does not fit int32, Loom's integer dtype (it has no int64); keep the tensor floating point`,
          );
        }
      }
    }
    return to(this, 'int32');
  },
  copy_(this: Tensor, src: Tensor) {
    return copyInto(this, src);
  },
  view(this: Tensor, ...shape: (number | Shape)[]) {
    return view(this, shapeArgs(shape));
  },
  reshape(this: Tensor, ...shape: (number | Shape)[]) {
    return reshape(this, shapeArgs(shape));
  },
  flatten(this: Tensor, startDim?: number, endDim?: number) {
    return flatten(this, startDim, endDim);
  },
  permute(this: Tensor, ...dims: (number | Shape)[]) {
    return permute(this, shapeArgs(dims));
  },
  transpose(this: Tensor, dim0: number, dim1: number) {
    return transpose(this, dim0, dim1);
  },
  t(this: Tensor) {
    return t(this);
  },
  squeeze(this: Tensor, dim?: number) {
    return squeeze(this, dim);
  },
  unsqueeze(this: Tensor, dim: number) {
    return unsqueeze(this, dim);
  },
  expand(this: Tensor, ...shape: (number | Shape)[]) {
    return expand(this, shapeArgs(shape));
  },
  narrow(this: Tensor, dim: number, start: number, length: number) {
    return narrow(this, dim, start, length);
  },
  add(this: Tensor, other: TensorLike, alpha?: number) {
    return add(this, other, alpha);
  },
  sub(this: Tensor, other: TensorLike, alpha?: number) {
    return sub(this, other, alpha);
  },
  mul(this: Tensor, other: TensorLike) {
    return mul(this, other);
  },
  div(this: Tensor, other: TensorLike) {
    return div(this, other);
  },
  neg(this: Tensor) {
    return neg(this);
  },
  add_(this: Tensor, other: TensorLike, alpha?: number) {
    return add_(this, other, alpha);
  },
  mul_(this: Tensor, other: TensorLike) {
    return mul_(this, other);
  },
  fill_(this: Tensor, value: number) {
    return fill_(this, value);
  },
  zero_(this: Tensor) {
    return zero_(this);
  },
  matmul(this: Tensor, other: Tensor) {
    return matmul(this, other);
  },
  sum(this: Tensor, dim?: number | readonly number[], keepdim?: boolean) {
    return sum(this, dim, keepdim);
  },
  mean(this: Tensor, dim?: number | readonly number[], keepdim?: boolean) {
    return mean(this, dim, keepdim);
  },
});

Object.defineProperty(Tensor.prototype, 'T', {
  get(this: Tensor) {
    return permute(
      this,
      this.shape.map((_, i) => this.ndim - 1 - i),
    );
  },
  configurable: true,
});
