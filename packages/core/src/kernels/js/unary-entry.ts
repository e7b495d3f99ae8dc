import type { TypedArray } from '../../dtype.js';

/** out[i] = op(x[i]) for i < n over contiguous runs; p0 and p1 are the op's scalar parameters. */
export type UnaryForward = (n: number, x: TypedArray, xOff: number, out: TypedArray, outOff: number, p0: number, p1: number) => void;

/**
 * gradIn[i] = ∂op/∂x at x[i] times gradOut[i], as PyTorch's backward formulas compute it; `y` is
 * the forward output (several rules are written in terms of it).
 */
export type UnaryBackward = (
  n: number,
  x: TypedArray,
  xOff: number,
  y: TypedArray,
  yOff: number,
  gradOut: TypedArray,
  gOff: number,
  gradIn: TypedArray,
  giOff: number,
  p0: number,
  p1: number,
) => void;

/** One unary op: its kernel code, its parameters, and its forward and backward reference loops side by side. */
export interface UnaryOpEntry {
  /** Its code in the WebAssembly kernel (kernels/unary-codes.ts). */
  readonly code: number;
  /** What p0 and p1 mean, in order ([] for none). */
  readonly params: readonly string[];
  /** The directions the WebAssembly kernel implements in SIMD (float32); the others run these loops. */
  readonly simd: { readonly forward: boolean; readonly backward: boolean };
  readonly forward: UnaryForward;
  readonly backward: UnaryBackward;
}

/** 1 / (1 + e^−x), without overflow in e^−x for very negative x. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** min(max(x, lo), hi): NaN stays NaN; lo > hi gives hi, as PyTorch. (Also Hardtanh's forward.) */
export function clampForward(n: number, x: TypedArray, xo: number, out: TypedArray, oo: number, lo: number, hi: number): void {
  for (let i = 0; i < n; i++) {
    let v = x[xo + i]!;
    if (v < lo) v = lo;
    if (v > hi) v = hi;
    out[oo + i] = v;
  }
}
