/**
 * Tensor methods of the elementwise, activation, comparison, softmax and extrema ops: each one
 * calls the op function of the same name (`var` calls `variance`).
 */
import type { TensorLike } from '../../ops/binary.js';
import { gelu, leakyRelu, logSigmoid, relu, sigmoid, softplus, tanh } from '../../ops/activations.js';
import { eq, ge, gt, le, lt, ne } from '../../ops/compare.js';
import { argmax, argmin, max, min, std, variance, type ValuesIndices, type VarianceOptions } from '../../ops/extrema.js';
import { logSoftmax, logsumexp, softmax } from '../../ops/softmax.js';
import { abs, clamp, exp, log, log1p, maximum, minimum, pow, sign, sqrt } from '../../ops/unary.js';
import type { Tensor } from '../tensor.js';
import { installMethods } from './install.js';

declare module '../tensor.js' {
  interface Tensor {
    // unary
    exp(): Tensor;
    log(): Tensor;
    log1p(): Tensor;
    sqrt(): Tensor;
    abs(): Tensor;
    sign(): Tensor;
    pow(exponent: TensorLike): Tensor;
    clamp(min?: TensorLike | null, max?: TensorLike | null): Tensor;
    minimum(other: TensorLike): Tensor;
    maximum(other: TensorLike): Tensor;
    // comparisons (bool results)
    eq(other: TensorLike): Tensor;
    ne(other: TensorLike): Tensor;
    lt(other: TensorLike): Tensor;
    le(other: TensorLike): Tensor;
    gt(other: TensorLike): Tensor;
    ge(other: TensorLike): Tensor;
    // activations
    relu(): Tensor;
    leakyRelu(negativeSlope?: number): Tensor;
    gelu(approximate?: 'none' | 'tanh'): Tensor;
    sigmoid(): Tensor;
    tanh(): Tensor;
    softplus(beta?: number, threshold?: number): Tensor;
    logSigmoid(): Tensor;
    // softmax
    softmax(dim: number): Tensor;
    logSoftmax(dim: number): Tensor;
    logsumexp(dim: number | readonly number[], keepdim?: boolean): Tensor;
    // extrema and variance
    max(): Tensor;
    max(dim: number, keepdim?: boolean): ValuesIndices;
    min(): Tensor;
    min(dim: number, keepdim?: boolean): ValuesIndices;
    argmax(dim?: number, keepdim?: boolean): Tensor;
    argmin(dim?: number, keepdim?: boolean): Tensor;
    var(dim?: number | readonly number[] | null, options?: VarianceOptions): Tensor;
    std(dim?: number | readonly number[] | null, options?: VarianceOptions): Tensor;
  }
}

installMethods({
  exp(this: Tensor) {
    return exp(this);
  },
  log(this: Tensor) {
    return log(this);
  },
  log1p(this: Tensor) {
    return log1p(this);
  },
  sqrt(this: Tensor) {
    return sqrt(this);
  },
  abs(this: Tensor) {
    return abs(this);
  },
  sign(this: Tensor) {
    return sign(this);
  },
  pow(this: Tensor, exponent: TensorLike) {
    return pow(this, exponent);
  },
  clamp(this: Tensor, min?: TensorLike | null, max?: TensorLike | null) {
    return clamp(this, min, max);
  },
  minimum(this: Tensor, other: TensorLike) {
    return minimum(this, other);
  },
  maximum(this: Tensor, other: TensorLike) {
    return maximum(this, other);
  },
  eq(this: Tensor, other: TensorLike) {
    return eq(this, other);
  },
  ne(this: Tensor, other: TensorLike) {
    return ne(this, other);
  },
  lt(this: Tensor, other: TensorLike) {
    return lt(this, other);
  },
  le(this: Tensor, other: TensorLike) {
    return le(this, other);
  },
  gt(this: Tensor, other: TensorLike) {
    return gt(this, other);
  },
  ge(this: Tensor, other: TensorLike) {
    return ge(this, other);
  },
  relu(this: Tensor) {
    return relu(this);
  },
  leakyRelu(this: Tensor, negativeSlope?: number) {
    return leakyRelu(this, negativeSlope);
  },
  gelu(this: Tensor, approximate?: 'none' | 'tanh') {
    return gelu(this, approximate);
  },
  sigmoid(this: Tensor) {
    return sigmoid(this);
  },
  tanh(this: Tensor) {
    return tanh(this);
  },
  softplus(this: Tensor, beta?: number, threshold?: number) {
    return softplus(this, beta, threshold);
  },
  logSigmoid(this: Tensor) {
    return logSigmoid(this);
  },
  softmax(this: Tensor, dim: number) {
    return softmax(this, dim);
  },
  logSoftmax(this: Tensor, dim: number) {
    return logSoftmax(this, dim);
  },
  logsumexp(this: Tensor, dim: number | readonly number[], keepdim?: boolean) {
    return logsumexp(this, dim, keepdim);
  },
  max(this: Tensor, dim?: number, keepdim?: boolean) {
    return dim === undefined ? max(this) : max(this, dim, keepdim);
  },
  min(this: Tensor, dim?: number, keepdim?: boolean) {
    return dim === undefined ? min(this) : min(this, dim, keepdim);
  },
  argmax(this: Tensor, dim?: number, keepdim?: boolean) {
    return argmax(this, dim, keepdim);
  },
  argmin(this: Tensor, dim?: number, keepdim?: boolean) {
    return argmin(this, dim, keepdim);
  },
  var(this: Tensor, dim?: number | readonly number[] | null, options?: VarianceOptions) {
    return variance(this, dim, options);
  },
  std(this: Tensor, dim?: number | readonly number[] | null, options?: VarianceOptions) {
    return std(this, dim, options);
  },
});
