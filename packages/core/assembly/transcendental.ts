/**
 * exp, sigmoid and tanh on four float32 lanes, accurate to about 2 ulp (Cephes' single-precision
 * minimax polynomials), with IEEE edge behaviour: NaN propagates, exp(+∞) = +∞, exp(−∞) = 0.
 */
import { madd } from './simd';

// @ts-ignore: decorator
@inline
function poly(x: v128, c: f32): v128 {
  return madd(x, f32x4.splat(1), f32x4.splat(c));
}

/** e^x: x = k·ln2 + r with |r| ≤ ln2/2, e^r by a degree-6 polynomial, 2^k as two exact powers. */
// @ts-ignore: decorator
@inline
export function vexp(x0: v128): v128 {
  // Bounding keeps k in range; beyond the bounds the result is already 0 or +∞.
  const x = f32x4.max(f32x4.min(x0, f32x4.splat(89)), f32x4.splat(-104));
  const k = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(k, f32x4.splat(0.693359375))), f32x4.mul(k, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = madd(p, r, f32x4.splat(1.3981999507e-3));
  p = madd(p, r, f32x4.splat(8.3334519073e-3));
  p = madd(p, r, f32x4.splat(4.1665795894e-2));
  p = madd(p, r, f32x4.splat(1.6666665459e-1));
  p = madd(p, r, f32x4.splat(5.0000001201e-1));
  p = madd(p, f32x4.mul(r, r), f32x4.add(r, f32x4.splat(1)));
  // 2^k = 2^(k>>1) · 2^(k − k>>1): each factor is a normal float for k in [−150, 129].
  const n = i32x4.trunc_sat_f32x4_s(k);
  const n1 = i32x4.shr_s(n, 1);
  const n2 = i32x4.sub(n, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/** 1 / (1 + e^−x), as e/(1+e) with e = e^−|x| for x < 0, so neither side overflows. */
// @ts-ignore: decorator
@inline
export function vsigmoid(x: v128): v128 {
  const e = vexp(f32x4.neg(f32x4.abs(x)));
  const s = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), e));
  return v128.bitselect(f32x4.mul(e, s), s, f32x4.lt(x, f32x4.splat(0)));
}

/** tanh: an odd polynomial for |x| < 0.625, else ±(1 − 2/(e^2|x| + 1)). */
// @ts-ignore: decorator
@inline
export function vtanh(x: v128): v128 {
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = madd(p, z, f32x4.splat(2.06390887954e-2));
  p = madd(p, z, f32x4.splat(-5.37397155531e-2));
  p = madd(p, z, f32x4.splat(1.33314422036e-1));
  p = madd(p, z, f32x4.splat(-3.33332819422e-1));
  const small = madd(f32x4.mul(p, z), x, x);
  const a = f32x4.abs(x);
  const big = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(vexp(f32x4.add(a, a)), f32x4.splat(1))));
  // The sign of x on the large branch (copysign); NaN takes the large branch and stays NaN.
  const signed = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(small, signed, f32x4.lt(a, f32x4.splat(0.625)));
}

/**
 * Natural log: x = m·2^e with m in [√½, √2), log(m) by Cephes' degree-8 polynomial in m − 1,
 * e·ln2 added in two parts. Subnormals are scaled up first; 0 → −∞, x < 0 → NaN, +∞ and NaN
 * pass through.
 */
// @ts-ignore: decorator
@inline
export function vlog(x: v128): v128 {
  const tiny = f32x4.lt(x, f32x4.splat(1.17549435e-38));
  const bits = v128.bitselect(f32x4.mul(x, f32x4.splat(8388608.0)), x, tiny);
  const e = i32x4.sub(i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(126)), v128.and(tiny, i32x4.splat(23)));
  let m = v128.or(v128.and(bits, i32x4.splat(0x807fffff)), i32x4.splat(0x3f000000));
  const small = f32x4.lt(m, f32x4.splat(0.707106781186547524));
  const ef = f32x4.sub(f32x4.convert_i32x4_s(e), v128.and(small, f32x4.splat(1)));
  m = f32x4.sub(f32x4.add(m, v128.and(small, m)), f32x4.splat(1));
  const z = f32x4.mul(m, m);
  let y = f32x4.splat(7.0376836292e-2);
  y = madd(y, m, f32x4.splat(-1.1514610310e-1));
  y = madd(y, m, f32x4.splat(1.1676998740e-1));
  y = madd(y, m, f32x4.splat(-1.2420140846e-1));
  y = madd(y, m, f32x4.splat(1.4249322787e-1));
  y = madd(y, m, f32x4.splat(-1.6668057665e-1));
  y = madd(y, m, f32x4.splat(2.0000714765e-1));
  y = madd(y, m, f32x4.splat(-2.4999993993e-1));
  y = madd(y, m, f32x4.splat(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, m), z);
  y = madd(ef, f32x4.splat(-2.12194440e-4), y);
  y = madd(z, f32x4.splat(-0.5), y);
  let r = madd(ef, f32x4.splat(0.693359375), f32x4.add(m, y));
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x, f32x4.splat(0)));
  r = v128.bitselect(f32x4.splat(NaN), r, f32x4.lt(x, f32x4.splat(0)));
  return v128.bitselect(x, r, v128.or(f32x4.ne(x, x), f32x4.eq(x, f32x4.splat(Infinity))));
}

/** log(1 + x) for x ≥ 0 (as softplus needs it), accurate for small x: log(u)·x/(u − 1), u = 1 + x (Goldberg). */
// @ts-ignore: decorator
@inline
export function vlog1pPositive(x: v128): v128 {
  const u = f32x4.add(x, f32x4.splat(1));
  const d = f32x4.sub(u, f32x4.splat(1));
  const r = f32x4.div(f32x4.mul(vlog(u), x), d);
  return v128.bitselect(x, r, f32x4.eq(d, f32x4.splat(0)));
}

/** eˣ − 1, accurate near 0: (u − 1)·x/log(u) with u = eˣ (Kahan); u − 1 where u is far from 1. */
// @ts-ignore: decorator
@inline
export function vexpm1(x: v128): v128 {
  const u = vexp(x);
  const um1 = f32x4.sub(u, f32x4.splat(1));
  const near = f32x4.div(f32x4.mul(um1, x), vlog(u));
  const r = v128.bitselect(near, um1, f32x4.lt(f32x4.abs(x), f32x4.splat(0.5)));
  return v128.bitselect(x, r, f32x4.eq(um1, f32x4.splat(0)));
}

/**
 * erf on [−4, 4] (±1 beyond, in float32) as the odd/even rational minimax approximation Eigen
 * and TensorFlow use for float; NaN propagates.
 */
// @ts-ignore: decorator
@inline
export function verf(x0: v128): v128 {
  const x = f32x4.max(f32x4.min(x0, f32x4.splat(4)), f32x4.splat(-4));
  const x2 = f32x4.mul(x, x);
  let p = madd(x2, f32x4.splat(-2.72614225801306e-10), f32x4.splat(2.77068142495902e-8));
  p = madd(x2, p, f32x4.splat(-2.10102402082508e-6));
  p = madd(x2, p, f32x4.splat(-5.69250639462346e-5));
  p = madd(x2, p, f32x4.splat(-7.34990630326855e-4));
  p = madd(x2, p, f32x4.splat(-2.95459980854025e-3));
  p = madd(x2, p, f32x4.splat(-1.60960333262415e-2));
  p = f32x4.mul(x, p);
  let q = madd(x2, f32x4.splat(-1.45660718464996e-5), f32x4.splat(-2.13374055278905e-4));
  q = madd(x2, q, f32x4.splat(-1.68282697438203e-3));
  q = madd(x2, q, f32x4.splat(-7.37332916720468e-3));
  q = madd(x2, q, f32x4.splat(-1.42647390514189e-2));
  return v128.bitselect(x0, f32x4.div(p, q), f32x4.ne(x0, x0));
}
