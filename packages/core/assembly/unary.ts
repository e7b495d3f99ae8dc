/**
 * Elementwise unary ops and their gradients over contiguous float32 runs, by the op codes of
 * src/kernels/unary-codes.ts (the one definition the TypeScript op table uses too). Each SIMD
 * op's forward and backward sit side by side below; a code without a SIMD loop traps
 * (`unreachable`), it never computes another op. Semantics are the TypeScript reference's
 * (kernels/js/unary*.ts): NaN propagates, relu never yields −0.
 */
import { madd } from './simd';
import { verf, vexp, vexpm1, vlog, vlog1pPositive, vsigmoid, vtanh } from './transcendental';
import {
  ABS, CLAMP, ELU, EXP, GELU, GELU_TANH, HARDTANH, LEAKY_RELU, LOG, MISH, RELU, SIGMOID, SILU, SOFTPLUS, SOFTSIGN, SQRT, SQUARE, TANH,
} from '../src/kernels/unary-codes';

const SQRT1_2: f32 = 0.7071067811865476;
/** 1/√(2π), the standard normal density at 0. */
const GELU_PDF: f32 = 0.3989422804014327;
/** √(2/π). */
const GELU_TANH_BETA: f32 = 0.7978845608028654;
const GELU_TANH_KAPPA: f32 = 0.044715;

/** max(z, 0) + log1p(e^−|z|): softplus without overflow. */
// @ts-ignore: decorator
@inline
function vsoftplus(z: v128): v128 {
  return f32x4.add(f32x4.max(z, f32x4.splat(0)), vlog1pPositive(vexp(f32x4.neg(f32x4.abs(z)))));
}

/** β·(x + κx³), the tanh-GELU's inner argument. */
// @ts-ignore: decorator
@inline
function geluInner(v: v128): v128 {
  const cube = f32x4.mul(f32x4.mul(v, v), v);
  return f32x4.mul(f32x4.splat(GELU_TANH_BETA), madd(cube, f32x4.splat(GELU_TANH_KAPPA), v));
}

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
  if (op == LOG) return vlog(v);
  // softplus(p0 = β, p1 = threshold): x itself where βx > threshold.
  if (op == SOFTPLUS) {
    const z = f32x4.mul(v, p0);
    return v128.bitselect(v, f32x4.div(vsoftplus(z), p0), f32x4.gt(z, p1));
  }
  if (op == SILU) return f32x4.mul(v, vsigmoid(v));
  if (op == MISH) return f32x4.mul(v, vtanh(vsoftplus(v)));
  if (op == ELU) return v128.bitselect(f32x4.mul(vexpm1(v), p0), v, f32x4.le(v, zero));
  if (op == HARDTANH) {
    const lo = v128.bitselect(p0, v, f32x4.lt(v, p0));
    return v128.bitselect(p1, lo, f32x4.gt(lo, p1));
  }
  if (op == SOFTSIGN) return f32x4.div(v, f32x4.add(f32x4.splat(1), f32x4.abs(v)));
  if (op == GELU) {
    const cdf1 = f32x4.add(f32x4.splat(1), verf(f32x4.mul(v, f32x4.splat(SQRT1_2))));
    return f32x4.mul(f32x4.mul(v, f32x4.splat(0.5)), cdf1);
  }
  if (op == GELU_TANH) return f32x4.mul(f32x4.mul(f32x4.splat(0.5), v), f32x4.add(f32x4.splat(1), vtanh(geluInner(v))));
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
  if (op == LOG) return f32x4.div(g, x);
  if (op == SOFTPLUS) {
    const z = f32x4.mul(x, p0);
    return v128.bitselect(g, f32x4.mul(g, vsigmoid(z)), f32x4.gt(z, p1));
  }
  // σ(x)·(1 + x·σ(−x)): σ(−x) computed, not 1 − σ(x), which cancels for large x.
  if (op == SILU) return f32x4.mul(f32x4.mul(g, vsigmoid(x)), madd(x, vsigmoid(f32x4.neg(x)), one));
  // tanh(sp) + x·σ(x)·(1 − tanh²(sp)).
  if (op == MISH) {
    const t = vtanh(vsoftplus(x));
    const s = vsigmoid(x);
    return f32x4.mul(g, madd(f32x4.mul(x, s), f32x4.sub(one, f32x4.mul(t, t)), t));
  }
  if (op == ELU) return v128.bitselect(f32x4.mul(f32x4.mul(g, p0), vexp(x)), g, f32x4.le(x, zero));
  // 0 at the bounds themselves (unlike clamp).
  if (op == HARDTANH) return v128.andnot(g, v128.or(f32x4.le(x, p0), f32x4.ge(x, p1)));
  if (op == SOFTSIGN) {
    const d = f32x4.add(one, f32x4.abs(x));
    return f32x4.div(g, f32x4.mul(d, d));
  }
  if (op == GELU) {
    const cdf = f32x4.mul(f32x4.splat(0.5), f32x4.add(one, verf(f32x4.mul(x, f32x4.splat(SQRT1_2)))));
    const pdf = f32x4.mul(f32x4.splat(GELU_PDF), vexp(f32x4.mul(f32x4.mul(x, x), f32x4.splat(-0.5))));
    return f32x4.mul(g, madd(x, pdf, cdf));
  }
  if (op == GELU_TANH) {
    const t = vtanh(geluInner(x));
    const x2 = f32x4.mul(x, x);
    const dInner = f32x4.mul(f32x4.splat(GELU_TANH_BETA), madd(x2, f32x4.splat(3 * GELU_TANH_KAPPA), one));
    const dRight = f32x4.mul(f32x4.sub(one, f32x4.mul(t, t)), dInner);
    const half = f32x4.splat(0.5);
    return f32x4.mul(g, madd(f32x4.mul(half, x), dRight, f32x4.mul(half, f32x4.add(one, t))));
  }
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
    case LOG: forwardLoop(LOG, n, x, out, p0, p1); break;
    case SOFTPLUS: forwardLoop(SOFTPLUS, n, x, out, p0, p1); break;
    case SILU: forwardLoop(SILU, n, x, out, p0, p1); break;
    case MISH: forwardLoop(MISH, n, x, out, p0, p1); break;
    case ELU: forwardLoop(ELU, n, x, out, p0, p1); break;
    case HARDTANH: forwardLoop(HARDTANH, n, x, out, p0, p1); break;
    case SOFTSIGN: forwardLoop(SOFTSIGN, n, x, out, p0, p1); break;
    case GELU: forwardLoop(GELU, n, x, out, p0, p1); break;
    case GELU_TANH: forwardLoop(GELU_TANH, n, x, out, p0, p1); break;
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
    case LOG: backwardLoop(LOG, n, x, y, g, gi, p0, p1); break;
    case SOFTPLUS: backwardLoop(SOFTPLUS, n, x, y, g, gi, p0, p1); break;
    case SILU: backwardLoop(SILU, n, x, y, g, gi, p0, p1); break;
    case MISH: backwardLoop(MISH, n, x, y, g, gi, p0, p1); break;
    case ELU: backwardLoop(ELU, n, x, y, g, gi, p0, p1); break;
    case HARDTANH: backwardLoop(HARDTANH, n, x, y, g, gi, p0, p1); break;
    case SOFTSIGN: backwardLoop(SOFTSIGN, n, x, y, g, gi, p0, p1); break;
    case GELU: backwardLoop(GELU, n, x, y, g, gi, p0, p1); break;
    case GELU_TANH: backwardLoop(GELU_TANH, n, x, y, g, gi, p0, p1); break;
    default: unreachable();
  }
}
