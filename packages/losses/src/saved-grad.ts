import { mul, type Tensor } from '@loom/core';
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
    // Kernels (a product of two floats rounds the same in any of them), so that chunk replay redoes them.
    if (reduction !== 'none') return [g.item() === 1 ? saved : mul(saved, g), null];
    return [mul(saved.reshape(n, c, s), g.reshape(n, 1, s)).reshape(...saved.shape), null];
  };
}
