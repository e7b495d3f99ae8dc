/**
 * Elementwise activations and their gradients over contiguous runs (exp, sigmoid and tanh through
 * transcendental.ts); codes are the JS wrapper's (kernels/wasm/unary.ts).
 * Each matches the TypeScript reference's PyTorch semantics: NaN propagates, relu never yields −0.
 */
import { at } from './simd';
import { vexp, vsigmoid, vtanh } from './transcendental';

const RELU: i32 = 0;
const LEAKY_RELU: i32 = 1;
const ABS: i32 = 2;
const SQRT: i32 = 3;
const CLAMP: i32 = 4;
const SQUARE: i32 = 5;
const EXP: i32 = 6;
const SIGMOID: i32 = 7;
const TANH: i32 = 8;

// @ts-ignore: decorator
@inline
function vForward(op: i32, v: v128, p0: v128, p1: v128): v128 {
  const zero = f32x4.splat(0);
  if (op == RELU) return f32x4.max(v, zero);
  if (op == LEAKY_RELU) return f32x4.mul(v, v128.bitselect(f32x4.splat(1), p0, f32x4.gt(v, zero)));
  if (op == ABS) return f32x4.abs(v);
  if (op == SQRT) return f32x4.sqrt(v);
  // clamp: x < lo → lo, then x > hi → hi (NaN stays NaN).
  if (op == CLAMP) {
    const lo = v128.bitselect(p0, v, f32x4.lt(v, p0));
    return v128.bitselect(p1, lo, f32x4.gt(lo, p1));
  }
  if (op == EXP) return vexp(v);
  if (op == SIGMOID) return vsigmoid(v);
  if (op == TANH) return vtanh(v);
  return f32x4.mul(v, v);
}

// @ts-ignore: decorator
@inline
function forwardLoop(op: i32, n: i32, x: usize, out: usize, a: f32, b: f32): void {
  const p0 = f32x4.splat(a);
  const p1 = f32x4.splat(b);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, vForward(op, v128.load(x + o), p0, p1));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, f32x4.extract_lane(vForward(op, f32x4.splat(load<f32>(x + o)), p0, p1), 0));
  }
}

/** out[i] = op(x[i]); op: 0 relu, 1 leakyRelu(p0 slope), 2 abs, 3 sqrt, 4 clamp(p0, p1), 5 x², 6 exp, 7 sigmoid, 8 tanh. */
export function unary(op: i32, n: i32, x: usize, out: usize, p0: f32, p1: f32): void {
  switch (op) {
    case RELU: forwardLoop(RELU, n, x, out, p0, p1); break;
    case LEAKY_RELU: forwardLoop(LEAKY_RELU, n, x, out, p0, p1); break;
    case ABS: forwardLoop(ABS, n, x, out, p0, p1); break;
    case SQRT: forwardLoop(SQRT, n, x, out, p0, p1); break;
    case CLAMP: forwardLoop(CLAMP, n, x, out, p0, p1); break;
    case EXP: forwardLoop(EXP, n, x, out, p0, p1); break;
    case SIGMOID: forwardLoop(SIGMOID, n, x, out, p0, p1); break;
    case TANH: forwardLoop(TANH, n, x, out, p0, p1); break;
    default: forwardLoop(SQUARE, n, x, out, p0, p1);
  }
}

const B_RELU: i32 = 0;
const B_LEAKY_RELU: i32 = 1;
const B_ABS: i32 = 2;
const B_SQRT: i32 = 3;
const B_CLAMP: i32 = 4;
const B_SIGMOID: i32 = 5;
const B_TANH: i32 = 6;
const B_EXP: i32 = 7;

// @ts-ignore: decorator
@inline
function vBackward(op: i32, x: v128, y: v128, g: v128, p0: v128, p1: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  // relu: g where !(y ≤ 0), else 0; + 0 turns −0 into +0 as the reference does.
  if (op == B_RELU) return f32x4.add(v128.andnot(g, f32x4.le(y, zero)), zero);
  if (op == B_LEAKY_RELU) return f32x4.mul(g, v128.bitselect(one, p0, f32x4.gt(x, zero)));
  if (op == B_ABS) {
    const sign = f32x4.sub(v128.and(one, f32x4.gt(x, zero)), v128.and(one, f32x4.lt(x, zero)));
    return f32x4.mul(g, sign);
  }
  if (op == B_SQRT) return f32x4.div(g, f32x4.mul(f32x4.splat(2), y));
  if (op == B_CLAMP) return v128.and(g, v128.and(f32x4.ge(x, p0), f32x4.le(x, p1)));
  if (op == B_SIGMOID) return f32x4.mul(f32x4.mul(g, f32x4.sub(one, y)), y);
  if (op == B_TANH) return f32x4.mul(g, f32x4.sub(one, f32x4.mul(y, y)));
  return f32x4.mul(g, y);
}

// @ts-ignore: decorator
@inline
function backwardLoop(op: i32, n: i32, x: usize, y: usize, g: usize, gi: usize, a: f32, b: f32): void {
  const p0 = f32x4.splat(a);
  const p1 = f32x4.splat(b);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(gi + o, vBackward(op, v128.load(x + o), v128.load(y + o), v128.load(g + o), p0, p1));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const r = vBackward(op, f32x4.splat(load<f32>(x + o)), f32x4.splat(load<f32>(y + o)), f32x4.splat(load<f32>(g + o)), p0, p1);
    store<f32>(gi + o, f32x4.extract_lane(r, 0));
  }
}

/**
 * gradIn[i] = op'(x[i], y[i]) · gradOut[i] (y the forward output); op: 0 relu, 1 leakyRelu,
 * 2 abs, 3 sqrt, 4 clamp, 5 sigmoid, 6 tanh, 7 exp.
 */
export function unaryBackward(op: i32, n: i32, x: usize, y: usize, g: usize, gi: usize, p0: f32, p1: f32): void {
  switch (op) {
    case B_RELU: backwardLoop(B_RELU, n, x, y, g, gi, p0, p1); break;
    case B_LEAKY_RELU: backwardLoop(B_LEAKY_RELU, n, x, y, g, gi, p0, p1); break;
    case B_ABS: backwardLoop(B_ABS, n, x, y, g, gi, p0, p1); break;
    case B_SQRT: backwardLoop(B_SQRT, n, x, y, g, gi, p0, p1); break;
    case B_CLAMP: backwardLoop(B_CLAMP, n, x, y, g, gi, p0, p1); break;
    case B_SIGMOID: backwardLoop(B_SIGMOID, n, x, y, g, gi, p0, p1); break;
    case B_TANH: backwardLoop(B_TANH, n, x, y, g, gi, p0, p1); break;
    default: backwardLoop(B_EXP, n, x, y, g, gi, p0, p1);
  }
}
