/** Shared SIMD helpers of the kernel families. */

/**
 * a·b + c on four float32 lanes: one fused multiply-add where the module is built with
 * relaxed SIMD (the `kernels-relaxed.wasm` build), a multiply then an add otherwise.
 */
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Rounds `n` up to a multiple of `m`. */
@inline
export function roundUp(n: i32, m: i32): i32 {
  return ((n + m - 1) / m) * m;
}

/** Byte address of element `i` of a float32 array at `base` (i may be any element offset). */
@inline
export function at(base: usize, i: i32): usize {
  return base + ((<usize>i) << 2);
}
