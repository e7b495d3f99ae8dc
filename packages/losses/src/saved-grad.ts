import { contiguous, Tensor } from '@loom/core';
import type { Reduction } from './reduction.js';

/**
 * The backward of a fused class loss whose forward already wrote d loss / d input for a unit
 * upstream gradient into `saved` (per sample for 'none'), laid out as N × C × S: scales it by the
 * upstream gradient, per sample (n, s) for 'none', by one number otherwise. An upstream of exactly
 * 1, the usual `loss.backward()`, returns `saved` itself: no second pass at all.
 */
export function savedGradBackward(
  saved: Tensor | null,
  reduction: Reduction,
  n: number,
  c: number,
  s: number,
): (g: Tensor) => (Tensor | null)[] {
  return (g) => {
    if (saved === null) return [null, null];
    const src = saved.data();
    if (reduction !== 'none') {
      const v = g.item();
      if (v === 1) return [saved, null];
      const grad = Tensor.empty(saved.shape, saved.dtype);
      const dst = grad.data();
      for (let i = 0; i < src.length; i++) dst[i] = src[i]! * v;
      return [grad, null];
    }
    const each = contiguous(g).data();
    const grad = Tensor.empty(saved.shape, saved.dtype);
    const dst = grad.data();
    for (let i0 = 0; i0 < n; i0++) {
      for (let k = 0; k < c; k++) {
        const base = (i0 * c + k) * s;
        for (let j = 0; j < s; j++) dst[base + j] = src[base + j]! * each[i0 * s + j]!;
      }
    }
    return [grad, null];
  };
}
