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
    /** eˣ elementwise. */
    exp(): Tensor;
    /** The natural logarithm elementwise. */
    log(): Tensor;
    /** log(1 + x) elementwise, accurate for small x. */
    log1p(): Tensor;
    /** The square root elementwise. */
    sqrt(): Tensor;
    /** |x| elementwise. */
    abs(): Tensor;
    /** −1, 0 or 1 by the sign of each element. */
    sign(): Tensor;
    /**
     * xᵉ elementwise, with broadcasting.
     * @param exponent A tensor or a number.
     */
    pow(exponent: TensorLike): Tensor;
    /**
     * Clamps every element into [min, max], as `torch.clamp`.
     * @param min The lower bound (a number or a tensor that broadcasts), or null for none.
     * @param max The upper bound (a number or a tensor that broadcasts), or null for none.
     */
    clamp(min?: TensorLike | null, max?: TensorLike | null): Tensor;
    /**
     * The elementwise minimum with `other`, with broadcasting.
     * @param other A tensor or a number.
     */
    minimum(other: TensorLike): Tensor;
    /**
     * The elementwise maximum with `other`, with broadcasting.
     * @param other A tensor or a number.
     */
    maximum(other: TensorLike): Tensor;
    // comparisons (bool results)
    /**
     * this == other elementwise (a bool tensor).
     * @param other A tensor or a number.
     */
    eq(other: TensorLike): Tensor;
    /**
     * this != other elementwise (a bool tensor).
     * @param other A tensor or a number.
     */
    ne(other: TensorLike): Tensor;
    /**
     * this < other elementwise (a bool tensor).
     * @param other A tensor or a number.
     */
    lt(other: TensorLike): Tensor;
    /**
     * this ≤ other elementwise (a bool tensor).
     * @param other A tensor or a number.
     */
    le(other: TensorLike): Tensor;
    /**
     * this > other elementwise (a bool tensor).
     * @param other A tensor or a number.
     */
    gt(other: TensorLike): Tensor;
    /**
     * this ≥ other elementwise (a bool tensor).
     * @param other A tensor or a number.
     */
    ge(other: TensorLike): Tensor;
    // activations
    /** max(0, x) elementwise. */
    relu(): Tensor;
    /**
     * x for x ≥ 0, negativeSlope · x otherwise.
     * @param negativeSlope The slope below 0 (default 0.01).
     */
    leakyRelu(negativeSlope?: number): Tensor;
    /**
     * x · Φ(x), exact or with the tanh approximation.
     * @param approximate 'none' (default, with erf) or 'tanh'.
     */
    gelu(approximate?: 'none' | 'tanh'): Tensor;
    /** 1 / (1 + e⁻ˣ) elementwise. */
    sigmoid(): Tensor;
    /** The hyperbolic tangent elementwise. */
    tanh(): Tensor;
    /**
     * log(1 + e^(beta·x)) / beta, linear above `threshold`.
     * @param beta Default 1.
     * @param threshold Where it switches to x (default 20).
     */
    softplus(beta?: number, threshold?: number): Tensor;
    /** log(sigmoid(x)), computed stably. */
    logSigmoid(): Tensor;
    // softmax
    /**
     * The softmax along `dim`.
     * @param dim The dim whose entries sum to 1.
     */
    softmax(dim: number): Tensor;
    /**
     * log(softmax(x)) along `dim`, computed stably.
     * @param dim The dim to normalise over.
     */
    logSoftmax(dim: number): Tensor;
    /**
     * log Σ eˣ over `dim`, computed stably.
     * @param dim The dim or dims to reduce.
     * @param keepdim Keep the reduced dims as size 1 (default false).
     */
    logsumexp(dim: number | readonly number[], keepdim?: boolean): Tensor;
    // extrema and variance
    /** The largest element, as a 0-d tensor. */
    max(): Tensor;
    /**
     * The largest values along `dim` and their int32 indices.
     * @param dim The dim to reduce.
     * @param keepdim Keep the reduced dim as size 1 (default false).
     */
    max(dim: number, keepdim?: boolean): ValuesIndices;
    /** The smallest element, as a 0-d tensor. */
    min(): Tensor;
    /**
     * The smallest values along `dim` and their int32 indices.
     * @param dim The dim to reduce.
     * @param keepdim Keep the reduced dim as size 1 (default false).
     */
    min(dim: number, keepdim?: boolean): ValuesIndices;
    /**
     * The int32 index of the first largest element along `dim`, or of all elements flattened.
     * @param dim The dim to reduce (default: all, flattened).
     * @param keepdim Keep the reduced dim as size 1 (default false).
     */
    argmax(dim?: number, keepdim?: boolean): Tensor;
    /**
     * The int32 index of the first smallest element along `dim`, or of all elements flattened.
     * @param dim The dim to reduce (default: all, flattened).
     * @param keepdim Keep the reduced dim as size 1 (default false).
     */
    argmin(dim?: number, keepdim?: boolean): Tensor;
    /**
     * The variance over `dim`, with Bessel's correction by default, as `torch.var`.
     * @param dim The dim or dims to reduce (null or omitted: all).
     * @param options `correction` (default 1) and `keepdim`.
     */
    var(dim?: number | readonly number[] | null, options?: VarianceOptions): Tensor;
    /**
     * The standard deviation over `dim`, with Bessel's correction by default, as `torch.std`.
     * @param dim The dim or dims to reduce (null or omitted: all).
     * @param options `correction` (default 1) and `keepdim`.
     */
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
