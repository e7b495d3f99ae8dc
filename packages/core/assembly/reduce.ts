/**
 * Sum over the middle axis of a contiguous [outer, r, inner] block: out[o, i] = Σ_k x[o, k, i].
 * inner = 1 is a row sum (four vector accumulators, then across lanes); inner > 1 adds whole
 * rows into the output row, which stays in L1 (the bias gradient: [batch, features] → [features]).
 */
import { at, madd } from './simd';

// @ts-ignore: decorator
@inline
function rowSum(p: usize, n: i32): f32 {
  let s0 = f32x4.splat(0);
  let s1 = s0;
  let s2 = s0;
  let s3 = s0;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const q = p + (<usize>i << 2);
    s0 = f32x4.add(s0, v128.load(q));
    s1 = f32x4.add(s1, v128.load(q, 16));
    s2 = f32x4.add(s2, v128.load(q, 32));
    s3 = f32x4.add(s3, v128.load(q, 48));
  }
  for (; i + 4 <= n; i += 4) s0 = f32x4.add(s0, v128.load(p + (<usize>i << 2)));
  const s = f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3));
  let total = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
  for (; i < n; i++) total += load<f32>(at(p, i));
  return total;
}

/** out[o·inner + i] = Σ_{k<r} x[(o·r + k)·inner + i]. */
export function sumAxis(outer: i32, r: i32, inner: i32, x: usize, out: usize): void {
  if (inner == 1) {
    for (let o = 0; o < outer; o++) store<f32>(at(out, o), rowSum(at(x, o * r), r));
    return;
  }
  const rowBytes = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const dst = out + <usize>o * rowBytes;
    const src = x + <usize>o * <usize>r * rowBytes;
    if (r == 0) {
      memory.fill(dst, 0, rowBytes);
      continue;
    }
    memory.copy(dst, src, rowBytes);
    for (let k = 1; k < r; k++) {
      const row = src + <usize>k * rowBytes;
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const q = <usize>i << 2;
        v128.store(dst + q, f32x4.add(v128.load(dst + q), v128.load(row + q)));
      }
      for (; i < inner; i++) store<f32>(at(dst, i), load<f32>(at(dst, i)) + load<f32>(at(row, i)));
    }
  }
}

/**
 * Max (or min) of each row of n ≥ 1 floats and the index of its first occurrence, NaN counting
 * as the extreme: a vector pass finds the extreme value (wasm max/min propagate NaN), a scalar
 * scan finds where it first occurs, and the value stored is that element itself (so ±0 comes out
 * as the reference's sequential scan gives it). `values` or `indices` is 0 when not wanted.
 */
export function extremumRows(rows: i32, n: i32, x: usize, values: usize, indices: usize, isMax: bool): void {
  for (let r = 0; r < rows; r++) {
    const p = at(x, r * n);
    let acc = v128.load32_splat(p);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(p + (<usize>i << 2));
      acc = isMax ? f32x4.max(acc, v) : f32x4.min(acc, v);
    }
    const a = f32x4.extract_lane(acc, 0);
    const b = f32x4.extract_lane(acc, 1);
    const c = f32x4.extract_lane(acc, 2);
    const d = f32x4.extract_lane(acc, 3);
    let m = isMax ? max<f32>(max<f32>(a, b), max<f32>(c, d)) : min<f32>(min<f32>(a, b), min<f32>(c, d));
    for (; i < n; i++) m = isMax ? max<f32>(m, load<f32>(at(p, i))) : min<f32>(m, load<f32>(at(p, i)));
    let j = 0;
    if (m != m) {
      while (load<f32>(at(p, j)) == load<f32>(at(p, j))) j++;
    } else {
      while (load<f32>(at(p, j)) != m) j++;
    }
    if (values) store<f32>(at(values, r), load<f32>(at(p, j)));
    if (indices) store<i32>(indices + (<usize>r << 2), j);
  }
}

/**
 * out[r] = Σⱼ (x[r·n + j] − centres[r])² for each contiguous row (the second pass of the norms'
 * statistics): four vector accumulators, then across lanes, then the tail.
 */
export function centredSquares(rows: i32, n: i32, x: usize, centres: usize, out: usize): void {
  for (let r = 0; r < rows; r++) {
    const p = at(x, r * n);
    const c = load<f32>(at(centres, r));
    const cv = f32x4.splat(c);
    let s0 = f32x4.splat(0);
    let s1 = s0;
    let i = 0;
    for (; i + 8 <= n; i += 8) {
      const q = p + (<usize>i << 2);
      const d0 = f32x4.sub(v128.load(q), cv);
      const d1 = f32x4.sub(v128.load(q, 16), cv);
      s0 = madd(d0, d0, s0);
      s1 = madd(d1, d1, s1);
    }
    for (; i + 4 <= n; i += 4) {
      const d = f32x4.sub(v128.load(p + (<usize>i << 2)), cv);
      s0 = madd(d, d, s0);
    }
    const s = f32x4.add(s0, s1);
    let total = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
    for (; i < n; i++) {
      const d = load<f32>(at(p, i)) - c;
      total += d * d;
    }
    store<f32>(at(out, r), total);
  }
}
