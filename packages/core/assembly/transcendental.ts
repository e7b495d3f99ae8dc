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
