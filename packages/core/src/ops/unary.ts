import { record } from '../autograd/record.js';
import { isFloating } from '../dtype.js';
import { whereKernel } from '../kernels/definitions.js';
import { broadcastShapes, broadcastStrides, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { formatValue } from '../util/format-value.js';
import { binaryForward, binaryOperands, mul, sub, type TensorLike } from './binary.js';
import { eq, ge, gt, lt } from './compare.js';
import { unaryOp } from './elementwise-internal.js';
import { sumTo } from './reduce.js';

/**
 * eˣ elementwise (integers compute in float32).
 * @param x - the exponents, any dtype (int32 and bool give a float32 result)
 */
export function exp(x: Tensor): Tensor {
  return unaryOp('exp', 'exp', x, 'float');
}

/**
 * Natural logarithm elementwise (integers compute in float32).
 * @param x - the input, any dtype; 0 gives -Infinity and negative values NaN, as in PyTorch
 */
export function log(x: Tensor): Tensor {
  return unaryOp('log', 'log', x, 'float');
}

/**
 * log(1 + x) elementwise, accurate for small x (integers compute in float32).
 * @param x - the input, any dtype; -1 gives -Infinity and values below -1 NaN
 */
export function log1p(x: Tensor): Tensor {
  return unaryOp('log1p', 'log1p', x, 'float');
}

/**
 * √x elementwise (integers compute in float32).
 * @param x - the input, any dtype; negative values give NaN
 */
export function sqrt(x: Tensor): Tensor {
  return unaryOp('sqrt', 'sqrt', x, 'float');
}

/**
 * |x| elementwise (keeps the dtype); its gradient is sign(x)·g (0 at 0).
 * @param x - any shape and dtype (bool becomes int32).
 */
export function abs(x: Tensor): Tensor {
  return unaryOp('abs', 'abs', x, 'keep');
}

/**
 * −1, 0 or 1 by the sign of x (0 for ±0 and NaN); its gradient is 0.
 * @param x - the input; the result keeps its dtype (bool gives int32)
 */
export function sign(x: Tensor): Tensor {
  return unaryOp('sign', 'sign', x, 'keep');
}

/**
 * aᵇ elementwise with broadcasting: tensor^tensor, tensor^number or number^tensor. Gradients
 * follow PyTorch, including its masking: ∂/∂a is 0 where b = 0, and ∂/∂b is 0 where a = 0 and
 * b ≥ 0 (instead of the NaN that 0·log 0 would give).
 * @param a - the base: a tensor or a number
 * @param b - the exponent, broadcast against `a`: a tensor or a number. An integer tensor to a
 *   non-negative integer power stays integer; a negative integer power of one throws
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  if (a instanceof Tensor && typeof b === 'number') {
    // x² has its own kernel (SIMD); same values and gradient as the general power.
    const op = b === 2 ? 'square' : 'powScalar';
    if (!isFloating(a.dtype) && Number.isInteger(b)) {
      if (b < 0) throw new RangeError('pow: integers to negative integer powers are not allowed');
      return unaryOp('pow', op, a, 'keep', b);
    }
    return unaryOp('pow', op, a, 'float', b);
  }
  if (typeof a === 'number' && b instanceof Tensor) {
    if (!isFloating(b.dtype) && Number.isInteger(a)) return unaryOp('pow', 'rpowScalar', b, 'keep', a);
    return unaryOp('pow', 'rpowScalar', b, 'float', a);
  }
  const [x, e] = binaryOperands(a, b);
  const out = binaryForward('pow', x, e, 'pow');
  return record('pow', out, [x, e], (g) => {
    let gx: Tensor | null = null;
    let ge_: Tensor | null = null;
    if (x.requiresGrad) {
      gx = sumTo(where(eq(e, 0), 0, mul(g, mul(e, pow(x, sub(e, 1))))), x.shape);
    }
    if (e.requiresGrad) {
      const t = mul(out, log(x));
      ge_ = sumTo(mul(g, where(eq(x, 0), where(ge(e, 0), 0, t), t)), e.shape);
    }
    return [gx, ge_];
  });
}

/**
 * Clamps every element into [min, max] (either bound may be omitted; NaN stays NaN; min > max
 * gives max). The bounds are numbers or tensors that broadcast with `x`. The gradient passes to
 * `x` where min ≤ x ≤ max, boundaries included, and to a tensor bound where it wins, as PyTorch.
 * @param x - the tensor clamped; an integer tensor stays integer unless a number bound is fractional
 *   (then float32).
 * @param min - the lower bound: a number, a tensor broadcasting with `x`, or null/absent for none.
 * @param max - the upper bound, likewise; at least one of `min` and `max` must be given.
 */
export function clamp(x: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor {
  if ((min === undefined || min === null) && (max === undefined || max === null)) {
    throw new TypeError("clamp: at least one of 'min' or 'max' must be given");
  }
  for (const [name, bound] of [['min', min] as const, ['max', max] as const]) {
    // A NaN bound would make every element NaN in PyTorch; here it is refused as a mistake.
    if (bound !== undefined && bound !== null && !(bound instanceof Tensor) && (typeof bound !== 'number' || Number.isNaN(bound))) {
      throw new TypeError(`clamp: ${name} must be a number, a Tensor or null, got ${formatValue(bound)}`);
    }
  }
  if (min instanceof Tensor || max instanceof Tensor) {
    // min(max(x, lo), hi) written with where, so a tie sends the whole gradient to x (maximum
    // and minimum would split it).
    const low = min === undefined || min === null ? x : where(lt(x, min), min, x);
    return max === undefined || max === null ? low : where(gt(low, max), max, low);
  }
  const fractional = (min != null && !Number.isInteger(min)) || (max != null && !Number.isInteger(max));
  return unaryOp('clamp', 'clamp', x, fractional ? 'float' : 'keep', min ?? -Infinity, max ?? Infinity);
}

/**
 * Elementwise max of a and b with broadcasting (NaN propagates). At ties the gradient is split
 * half and half between a and b, as PyTorch.
 * @param a - the first operand: a tensor, or a number promoted as a Python scalar is in PyTorch
 * @param b - the second operand, broadcast against `a`; a tensor or a number
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return extremum(a, b, true);
}

/**
 * Elementwise min of a and b with broadcasting (NaN propagates); ties split the gradient as `maximum`.
 * @param a - the first operand: a tensor, or a number promoted as a Python scalar is in PyTorch
 * @param b - the second operand, broadcast against `a`; a tensor or a number
 */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return extremum(a, b, false);
}

function extremum(a: TensorLike, b: TensorLike, isMax: boolean): Tensor {
  const name = isMax ? 'maximum' : 'minimum';
  const [x, y] = binaryOperands(a, b);
  const out = binaryForward(name, x, y, name);
  // PyTorch: where(x == y, g/2, g), zeroed where the other operand wins.
  const share = (g: Tensor, loses: Tensor): Tensor => where(loses, 0, where(eq(x, y), mul(g, 0.5), g));
  return record(name, out, [x, y], (g) => [
    x.requiresGrad ? sumTo(share(g, isMax ? lt(x, y) : gt(x, y)), x.shape) : null,
    y.requiresGrad ? sumTo(share(g, isMax ? gt(x, y) : lt(x, y)), y.shape) : null,
  ]);
}

/**
 * cond ? a : b elementwise, with cond, a and b broadcast together; `cond` must be a bool
 * tensor. a and b promote to one dtype as binary ops do (a number takes the other's dtype).
 * @param cond - a bool tensor choosing `a` where true and `b` where false; it gets no gradient
 * @param a - the values taken where `cond` is true: a tensor or a number
 * @param b - the values taken where `cond` is false: a tensor or a number
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (!(cond instanceof Tensor) || cond.dtype !== 'bool') {
    const got = cond instanceof Tensor ? `a tensor of dtype ${cond.dtype}` : typeof cond;
    throw new TypeError(`where: expected the condition to be a bool tensor, but got ${got}`);
  }
  const [x, y, dtype] = binaryOperands(a, b);
  const shape = broadcastShapes(cond.shape, broadcastShapes(x.shape, y.shape, 'where'), 'where');
  const out = Tensor.empty(shape, dtype);
  const dense = (t: Tensor): boolean => shapesEqual(t.shape, shape) && t.isContiguous();
  whereKernel.select(dtype)(
    shape,
    out.storage.array(),
    0,
    cond.storage.array(),
    cond.offset,
    broadcastStrides(cond.shape, cond.strides, shape),
    x.storage.array(),
    x.offset,
    broadcastStrides(x.shape, x.strides, shape),
    y.storage.array(),
    y.offset,
    broadcastStrides(y.shape, y.strides, shape),
    dense(cond) && dense(x) && dense(y),
  );
  return record('where', out, [x, y], (g) => [
    x.requiresGrad ? sumTo(where(cond, g, 0), x.shape) : null,
    y.requiresGrad ? sumTo(where(cond, 0, g), y.shape) : null,
  ]);
}
