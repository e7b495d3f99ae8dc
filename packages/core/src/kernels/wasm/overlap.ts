/**
 * The last byte a strided float32 operand of `rows × cols` elements touches, for strides ≥ 0
 * (the first is its address); operands must not be empty.
 */
export function lastByte(address: number, rows: number, rowStride: number, cols: number, colStride: number): number {
  return address + ((rows - 1) * rowStride + (cols - 1) * colStride) * 4 + 3;
}

/** Whether the byte ranges [a0, a1] and [b0, b1] share a byte. */
export function overlaps(a0: number, a1: number, b0: number, b1: number): boolean {
  return a0 <= b1 && b0 <= a1;
}
