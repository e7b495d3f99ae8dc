/**
 * Elementwise unary ops and their gradients over contiguous float32 runs, by the op codes of
 * src/kernels/unary-codes.ts (the one definition the TypeScript op table uses too). Each SIMD
 * op's forward and backward sit side by side below; a code without a SIMD loop traps
 * (`unreachable`), it never computes another op. Semantics are the TypeScript reference's
 * (kernels/js/unary*.ts): NaN propagates, relu never yields −0.
 */
import { vexp, vsigmoid, vtanh } from './transcendental';
import { ABS, CLAMP, EXP, LEAKY_RELU, RELU, SIGMOID, SQRT, SQUARE, TANH } from '../src/kernels/unary-codes';

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
  if (op == SQUARE) return f32x4.mul(v, v);
  if (op == EXP) return vexp(v);
  if (op == SIGMOID) return vsigmoid(v);
  if (op == TANH) return vtanh(v);
  unreachable();
  return v;
}

// @ts-ignore: decorator
@inline
function vBackward(op: i32, x: v128, y: v128, g: v128, p0: v128, p1: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  // relu: g where !(y ≤ 0), else 0; + 0 turns −0 into +0 as the reference does.
  if (op == RELU) return f32x4.add(v128.andnot(g, f32x4.le(y, zero)), zero);
  if (op == LEAKY_RELU) return f32x4.mul(g, v128.bitselect(one, p0, f32x4.gt(x, zero)));
  if (op == ABS) {
    const sign = f32x4.sub(v128.and(one, f32x4.gt(x, zero)), v128.and(one, f32x4.lt(x, zero)));
    return f32x4.mul(g, sign);
  }
  if (op == SQRT) return f32x4.div(g, f32x4.mul(f32x4.splat(2), y));
  if (op == CLAMP) return v128.and(g, v128.and(f32x4.ge(x, p0), f32x4.le(x, p1)));
  if (op == SQUARE) return f32x4.mul(g, f32x4.add(x, x));
  if (op == EXP) return f32x4.mul(g, y);
  if (op == SIGMOID) return f32x4.mul(f32x4.mul(g, f32x4.sub(one, y)), y);
  if (op == TANH) return f32x4.mul(g, f32x4.sub(one, f32x4.mul(y, y)));
  unreachable();
  return g;
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

/** out[i] = op(x[i]) with the op's parameters p0, p1 (see the op table). */
export function unary(op: i32, n: i32, x: usize, out: usize, p0: f32, p1: f32): void {
  switch (op) {
    case RELU: forwardLoop(RELU, n, x, out, p0, p1); break;
    case LEAKY_RELU: forwardLoop(LEAKY_RELU, n, x, out, p0, p1); break;
    case ABS: forwardLoop(ABS, n, x, out, p0, p1); break;
    case SQRT: forwardLoop(SQRT, n, x, out, p0, p1); break;
    case CLAMP: forwardLoop(CLAMP, n, x, out, p0, p1); break;
    case SQUARE: forwardLoop(SQUARE, n, x, out, p0, p1); break;
    case EXP: forwardLoop(EXP, n, x, out, p0, p1); break;
    case SIGMOID: forwardLoop(SIGMOID, n, x, out, p0, p1); break;
    case TANH: forwardLoop(TANH, n, x, out, p0, p1); break;
    default: unreachable();
  }
}

/** gradIn[i] = op'(x[i], y[i]) · gradOut[i] (y the forward output). */
export function unaryBackward(op: i32, n: i32, x: usize, y: usize, g: usize, gi: usize, p0: f32, p1: f32): void {
  switch (op) {
    case RELU: backwardLoop(RELU, n, x, y, g, gi, p0, p1); break;
    case LEAKY_RELU: backwardLoop(LEAKY_RELU, n, x, y, g, gi, p0, p1); break;
    case ABS: backwardLoop(ABS, n, x, y, g, gi, p0, p1); break;
    case SQRT: backwardLoop(SQRT, n, x, y, g, gi, p0, p1); break;
    case CLAMP: backwardLoop(CLAMP, n, x, y, g, gi, p0, p1); break;
    case SQUARE: backwardLoop(SQUARE, n, x, y, g, gi, p0, p1); break;
    case EXP: backwardLoop(EXP, n, x, y, g, gi, p0, p1); break;
    case SIGMOID: backwardLoop(SIGMOID, n, x, y, g, gi, p0, p1); break;
    case TANH: backwardLoop(TANH, n, x, y, g, gi, p0, p1); break;
    default: unreachable();
  }
}
