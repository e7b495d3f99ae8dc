/**
 * The generic loop of strided kernels: visits every index of `shape` in row-major order and
 * passes the element offsets of up to three operands, each with its own strides (0 on a
 * broadcast dimension). Kernels use it where no contiguous fast path applies.
 */
export function stridedLoop3(
  shape: readonly number[],
  aOff: number,
  aStrides: readonly number[],
  bOff: number,
  bStrides: readonly number[],
  cOff: number,
  cStrides: readonly number[],
  visit: (a: number, b: number, c: number) => void,
): void {
  const ndim = shape.length;
  let n = 1;
  for (const d of shape) n *= d;
  if (n === 0) return;
  const idx = new Array<number>(ndim).fill(0);
  let a = aOff;
  let b = bOff;
  let c = cOff;
  for (let i = 0; i < n; i++) {
    visit(a, b, c);
    for (let d = ndim - 1; d >= 0; d--) {
      idx[d]!++;
      a += aStrides[d]!;
      b += bStrides[d]!;
      c += cStrides[d]!;
      if (idx[d]! < shape[d]!) break;
      a -= aStrides[d]! * shape[d]!;
      b -= bStrides[d]! * shape[d]!;
      c -= cStrides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}
