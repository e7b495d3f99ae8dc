import type { TypedArray } from '../../dtype.js';

/** The elementwise comparisons that have a kernel. */
export type CompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

/** out[o+i] = a[pa+i·sa] ∘ b[pb+i·sb] as 1/0, for i < n. */
function compareRun(
  op: CompareOp,
  n: number,
  out: TypedArray,
  o: number,
  a: TypedArray,
  pa: number,
  sa: number,
  b: TypedArray,
  pb: number,
  sb: number,
): void {
  switch (op) {
    case 'eq':
      for (let i = 0; i < n; i++, pa += sa, pb += sb) out[o + i] = a[pa]! === b[pb]! ? 1 : 0;
      return;
    case 'ne':
      for (let i = 0; i < n; i++, pa += sa, pb += sb) out[o + i] = a[pa]! !== b[pb]! ? 1 : 0;
      return;
    case 'lt':
      for (let i = 0; i < n; i++, pa += sa, pb += sb) out[o + i] = a[pa]! < b[pb]! ? 1 : 0;
      return;
    case 'le':
      for (let i = 0; i < n; i++, pa += sa, pb += sb) out[o + i] = a[pa]! <= b[pb]! ? 1 : 0;
      return;
    case 'gt':
      for (let i = 0; i < n; i++, pa += sa, pb += sb) out[o + i] = a[pa]! > b[pb]! ? 1 : 0;
      return;
    case 'ge':
      for (let i = 0; i < n; i++, pa += sa, pb += sb) out[o + i] = a[pa]! >= b[pb]! ? 1 : 0;
      return;
  }
}

/**
 * out = a ∘ b as a bool (Uint8Array) result over `shape`, with the same conventions as
 * `binaryJs`: a and b are read through strides (0 where broadcast), out is contiguous.
 */
export function compareJs(
  op: CompareOp,
  shape: readonly number[],
  out: TypedArray,
  outOff: number,
  a: TypedArray,
  aOff: number,
  aStrides: readonly number[],
  aContiguous: boolean,
  b: TypedArray,
  bOff: number,
  bStrides: readonly number[],
  bContiguous: boolean,
): void {
  const nd = shape.length;
  let n = 1;
  for (let d = 0; d < nd; d++) n *= shape[d]!;
  if (n === 0) return;
  if (nd === 0 || (aContiguous && bContiguous)) {
    compareRun(op, n, out, outOff, a, aOff, 1, b, bOff, 1);
    return;
  }
  // Runs along the last dimension; the outer dimensions advance an index counter.
  const inner = shape[nd - 1]!;
  const sa = aStrides[nd - 1]!;
  const sb = bStrides[nd - 1]!;
  const idx = new Array<number>(nd).fill(0);
  let pa = aOff;
  let pb = bOff;
  for (let o = outOff, end = outOff + n; o < end; o += inner) {
    compareRun(op, inner, out, o, a, pa, sa, b, pb, sb);
    for (let d = nd - 2; d >= 0; d--) {
      pa += aStrides[d]!;
      pb += bStrides[d]!;
      if (++idx[d]! < shape[d]!) break;
      pa -= aStrides[d]! * shape[d]!;
      pb -= bStrides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/**
 * out = cond ? a : b over `shape` (out contiguous; cond, a and b read through strides, 0 where
 * broadcast). `contiguous` says that all three are contiguous with exactly `shape`.
 */
export function whereJs(
  shape: readonly number[],
  out: TypedArray,
  outOff: number,
  cond: TypedArray,
  cOff: number,
  cStrides: readonly number[],
  a: TypedArray,
  aOff: number,
  aStrides: readonly number[],
  b: TypedArray,
  bOff: number,
  bStrides: readonly number[],
  contiguous: boolean,
): void {
  const nd = shape.length;
  let n = 1;
  for (let d = 0; d < nd; d++) n *= shape[d]!;
  if (n === 0) return;
  if (nd === 0 || contiguous) {
    for (let i = 0; i < n; i++) out[outOff + i] = cond[cOff + i] ? a[aOff + i]! : b[bOff + i]!;
    return;
  }
  const inner = shape[nd - 1]!;
  const sc = cStrides[nd - 1]!;
  const sa = aStrides[nd - 1]!;
  const sb = bStrides[nd - 1]!;
  const idx = new Array<number>(nd).fill(0);
  let pc = cOff;
  let pa = aOff;
  let pb = bOff;
  for (let o = outOff, end = outOff + n; o < end; o += inner) {
    for (let i = 0, c = pc, x = pa, y = pb; i < inner; i++, c += sc, x += sa, y += sb) {
      out[o + i] = cond[c] ? a[x]! : b[y]!;
    }
    for (let d = nd - 2; d >= 0; d--) {
      pc += cStrides[d]!;
      pa += aStrides[d]!;
      pb += bStrides[d]!;
      if (++idx[d]! < shape[d]!) break;
      pc -= cStrides[d]! * shape[d]!;
      pa -= aStrides[d]! * shape[d]!;
      pb -= bStrides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}
