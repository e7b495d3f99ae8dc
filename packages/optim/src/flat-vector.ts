import { type DType, type FloatArray, Tensor } from '@loom/core';
import { persistentFull } from './state-copy.js';

/**
 * Whole-vector arithmetic on flat 1-D tensors, for LBFGS. Results are new persistent tensors
 * (LBFGS keeps them in its state across steps); in-place forms end in `_`.
 */

function values(t: Tensor): FloatArray {
  return t.data() as FloatArray;
}

/** A new zero vector. */
export function zerosVector(n: number, dtype: DType): Tensor {
  return persistentFull([n], dtype, 0);
}

/** Σ aᵢbᵢ. */
export function dot(a: Tensor, b: Tensor): number {
  const x = values(a);
  const y = values(b);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]! * y[i]!;
  return sum;
}

/** max |aᵢ| (NaN if any element is NaN). */
export function absMax(a: Tensor): number {
  let max = -Infinity;
  for (const v of values(a)) max = Math.max(max, Math.abs(v));
  return max;
}

/** Σ |aᵢ|. */
export function absSum(a: Tensor): number {
  let sum = 0;
  for (const v of values(a)) sum += Math.abs(v);
  return sum;
}

/** A copy. */
export function copyOf(a: Tensor): Tensor {
  const out = zerosVector(a.numel, a.dtype);
  values(out).set(values(a));
  return out;
}

/** a · s, a new vector. */
export function scaled(a: Tensor, s: number): Tensor {
  const out = copyOf(a);
  const o = values(out);
  for (let i = 0; i < o.length; i++) o[i] = o[i]! * s;
  return out;
}

/** a − b, a new vector. */
export function difference(a: Tensor, b: Tensor): Tensor {
  const out = copyOf(a);
  const o = values(out);
  const y = values(b);
  for (let i = 0; i < o.length; i++) o[i] = o[i]! - y[i]!;
  return out;
}

/** y ← y + alpha·x, in place. */
export function addScaled_(y: Tensor, alpha: number, x: Tensor): void {
  const o = values(y);
  const v = values(x);
  for (let i = 0; i < o.length; i++) o[i] = o[i]! + alpha * v[i]!;
}

/** dst ← src, in place. */
export function copy_(dst: Tensor, src: Tensor): void {
  values(dst).set(values(src));
}
