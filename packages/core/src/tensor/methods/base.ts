/**
 * Tensor methods of the base ops: each one calls the op function of the same name, so
 * `x.add(y)` and `add(x, y)` are the same operation.
 */
import { backward } from '../../autograd/backward.js';
import type { DType } from '../../dtype.js';
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
    backward(gradient?: Tensor): void;
    detach(): Tensor;
    requiresGrad_(requiresGrad?: boolean): Tensor;
    // copies and conversion
    clone(): Tensor;
    contiguous(): Tensor;
    to(dtype: DType): Tensor;
    float(): Tensor;
    double(): Tensor;
    int(): Tensor;
    long(): Tensor;
    copy_(src: Tensor): Tensor;
    // views
    view(...shape: number[]): Tensor;
    reshape(...shape: number[]): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    permute(...dims: number[]): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    t(): Tensor;
    readonly T: Tensor;
    squeeze(dim?: number): Tensor;
    unsqueeze(dim: number): Tensor;
    expand(...shape: number[]): Tensor;
    narrow(dim: number, start: number, length: number): Tensor;
    // arithmetic
    add(other: TensorLike, alpha?: number): Tensor;
    sub(other: TensorLike, alpha?: number): Tensor;
    mul(other: TensorLike): Tensor;
    div(other: TensorLike): Tensor;
    neg(): Tensor;
    add_(other: TensorLike, alpha?: number): Tensor;
    mul_(other: TensorLike): Tensor;
    fill_(value: number): Tensor;
    zero_(): Tensor;
    matmul(other: Tensor): Tensor;
    // reductions
    sum(dim?: number | readonly number[], keepdim?: boolean): Tensor;
    mean(dim?: number | readonly number[], keepdim?: boolean): Tensor;
  }
}

installMethods({
  backward(this: Tensor, gradient?: Tensor) {
    backward(this, gradient);
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
    return permute(this, this.shape.map((_, i) => this.ndim - 1 - i));
  },
  configurable: true,
});
