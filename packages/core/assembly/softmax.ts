/**
 * Row-wise softmax, log-softmax, their backward, logsumexp and the fused softmax-cross-entropy,
 * over `rows` contiguous rows of `n` floats. e^x is a vectorised Cephes-style expf (range
 * reduction by ln 2, degree-6 polynomial, 2^k through the exponent bits: within 2 ulp); log is
 * computed once per row in float64. No lookup tables, so the module keeps no static data.
 */
import { at } from './simd';

// @ts-ignore: decorator
@inline
function vexp(x: v128): v128 {
  // Below −87.3 the result is under the smallest normal float: flushed to 0 (e^−∞ = 0).
  const tiny = f32x4.lt(x, f32x4.splat(-87.33654));
  const c = f32x4.min(x, f32x4.splat(88.72283));
  const k = f32x4.nearest(f32x4.mul(c, f32x4.splat(1.44269504)));
  let r = f32x4.sub(c, f32x4.mul(k, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(k, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  // 2^k: k + 127 in the exponent field (k ≤ 128 after the clamp; k = 128 is split in two).
  const ki = i32x4.trunc_sat_f32x4_s(k);
  const half = i32x4.shr_s(ki, 1);
  const s1 = i32x4.shl(i32x4.add(half, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(ki, half), i32x4.splat(127)), 23);
  const e = f32x4.mul(f32x4.mul(y, s1), s2);
  // Above 88.72 it overflows to +∞ (the clamp kept the arithmetic finite).
  const big = f32x4.gt(x, f32x4.splat(88.72283));
  return v128.bitselect(f32x4.splat(Infinity), v128.andnot(e, tiny), big);
}

// @ts-ignore: decorator
@inline
function sexp(x: f32): f32 {
  return f32x4.extract_lane(vexp(f32x4.splat(x)), 0);
}

/** Natural log of a positive finite double (a row's sum of exponentials). */
function logPositive(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  let e = <i32>((bits >> 52) & 0x7ff) - 1023;
  let m = reinterpret<f64>((bits & 0x000fffffffffffff) | 0x3ff0000000000000);
  if (m > 1.4142135623730951) {
    m *= 0.5;
    e++;
  }
  const f = m - 1;
  const s = f / (2 + f);
  const z = s * s;
  const series = 1 + z * (1.0 / 3 + z * (1.0 / 5 + z * (1.0 / 7 + z * (1.0 / 9 + z * (1.0 / 11 + z * (1.0 / 13 + z / 15))))));
  return 2 * s * series + <f64>e * 0.6931471805599453;
}

/** Max of a row; NaN if it holds one. */
// @ts-ignore: decorator
@inline
function rowMax(p: usize, n: i32): f32 {
  let m = f32x4.splat(-Infinity);
  let i = 0;
  for (; i + 4 <= n; i += 4) m = f32x4.max(m, v128.load(p + (<usize>i << 2)));
  let s = max<f32>(max<f32>(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)), max<f32>(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)));
  for (; i < n; i++) s = max<f32>(s, load<f32>(at(p, i)));
  return s;
}

/** Σ e^(x − shift) over a row, optionally storing each term at `out` (0 for none). */
// @ts-ignore: decorator
@inline
function expSum(p: usize, n: i32, shift: f32, out: usize): f32 {
  const vs = f32x4.splat(shift);
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const e = vexp(f32x4.sub(v128.load(p + o), vs));
    if (out) v128.store(out + o, e);
    acc = f32x4.add(acc, e);
  }
  let s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  for (; i < n; i++) {
    const e = sexp(load<f32>(at(p, i)) - shift);
    if (out) store<f32>(at(out, i), e);
    s += e;
  }
  return s;
}

// @ts-ignore: decorator
@inline
function scaleRow(out: usize, x: usize, n: i32, mul: f32, sub: f32): void {
  const vm = f32x4.splat(mul);
  const vs = f32x4.splat(sub);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.sub(f32x4.mul(v128.load(x + o), vm), vs));
  }
  for (; i < n; i++) store<f32>(at(out, i), load<f32>(at(x, i)) * mul - sub);
}

/** Softmax (log-softmax when `log`) of each row: e^(x − max)/Σ, or x − max − log Σ. */
export function softmaxRows(rows: i32, n: i32, x: usize, out: usize, log: bool): void {
  for (let r = 0; r < rows; r++) {
    const xr = at(x, r * n);
    const orow = at(out, r * n);
    const m = rowMax(xr, n);
    if (log) {
      const s = expSum(xr, n, m, 0);
      scaleRow(orow, xr, n, 1, m + <f32>logPositive(s));
    } else {
      const s = expSum(xr, n, m, orow);
      scaleRow(orow, orow, n, 1 / s, 0);
    }
  }
}

/** Backward from the output y: y·(g − Σ g·y), or g − e^y·Σ g for log-softmax. */
export function softmaxRowsBackward(rows: i32, n: i32, y: usize, g: usize, gi: usize, log: bool): void {
  for (let r = 0; r < rows; r++) {
    const yr = at(y, r * n);
    const gr = at(g, r * n);
    const ir = at(gi, r * n);
    let acc = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const gv = v128.load(gr + o);
      acc = f32x4.add(acc, log ? gv : f32x4.mul(gv, v128.load(yr + o)));
    }
    let s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
    for (; i < n; i++) s += log ? load<f32>(at(gr, i)) : load<f32>(at(gr, i)) * load<f32>(at(yr, i));
    const vs = f32x4.splat(s);
    i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const gv = v128.load(gr + o);
      const yv = v128.load(yr + o);
      v128.store(ir + o, log ? f32x4.sub(gv, f32x4.mul(vexp(yv), vs)) : f32x4.mul(yv, f32x4.sub(gv, vs)));
    }
    for (; i < n; i++) {
      const gv = load<f32>(at(gr, i));
      const yv = load<f32>(at(yr, i));
      store<f32>(at(ir, i), log ? gv - sexp(yv) * s : yv * (gv - s));
    }
  }
}

/** log Σ e^x of each row, shifted by the row's max (by 0 when the max is infinite). */
export function logsumexpRows(rows: i32, n: i32, x: usize, out: usize): void {
  for (let r = 0; r < rows; r++) {
    const xr = at(x, r * n);
    let m = rowMaxIgnoringNaN(xr, n);
    if (m == Infinity || m == -Infinity) m = 0;
    const s = expSum(xr, n, m, 0);
    store<f32>(at(out, r), <f32>logOf(s) + m);
  }
}

/** The reference's max of a logsumexp row: NaN entries do not count. */
function rowMaxIgnoringNaN(p: usize, n: i32): f32 {
  let m: f32 = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = load<f32>(at(p, i));
    if (v > m) m = v;
  }
  return m;
}

/** log of a row sum that may be 0, +∞ or NaN (logsumexp of −∞, +∞ or NaN rows). */
function logOf(s: f32): f64 {
  if (s > 0 && s < Infinity) return logPositive(<f64>s);
  if (s == 0) return -Infinity;
  return <f64>s;
}

/**
 * Fused softmax-cross-entropy: loss[r] = log Σ e^x − x[target] for each row, and with `grad`
 * (0 for none) grad[r] = softmax(x) − onehot(target). A target outside [0, n) (an ignored
 * row) gives loss 0 and a zero gradient row.
 */
export function softmaxXentRows(rows: i32, n: i32, x: usize, targets: usize, loss: usize, grad: usize): void {
  for (let r = 0; r < rows; r++) {
    const xr = at(x, r * n);
    const t = load<i32>(targets + (<usize>r << 2));
    const gr = grad ? at(grad, r * n) : 0;
    if (t < 0 || t >= n) {
      store<f32>(at(loss, r), 0);
      if (gr) memory.fill(gr, 0, <usize>n << 2);
      continue;
    }
    const m = rowMax(xr, n);
    const s = expSum(xr, n, m, gr);
    const lse = m + <f32>logPositive(s);
    store<f32>(at(loss, r), lse - load<f32>(at(xr, t)));
    if (gr) {
      scaleRow(gr, gr, n, 1 / s, 0);
      store<f32>(at(gr, t), load<f32>(at(gr, t)) - 1);
    }
  }
}
