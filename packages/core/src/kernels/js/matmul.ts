import type { TypedArray } from '../../dtype.js';

/**
 * C[M,N] = A[M,K]·B[K,N] (+ C when `accumulate`), where A and B are read through any strides
 * (so transposed operands need no copy) and C is row-major with row stride N.
 * Loop orders keep the innermost loop on unit stride where the layout allows.
 */
export function matmulJs(
  M: number,
  N: number,
  K: number,
  a: TypedArray,
  aOff: number,
  aRowStride: number,
  aColStride: number,
  b: TypedArray,
  bOff: number,
  bRowStride: number,
  bColStride: number,
  c: TypedArray,
  cOff: number,
  accumulate: boolean,
): void {
  if (!accumulate) c.fill(0, cOff, cOff + M * N);
  if (bColStride === 1) {
    // Rows of B are contiguous: C[i,:] += A[i,k] * B[k,:].
    for (let i = 0; i < M; i++) {
      const ci = cOff + i * N;
      const ai = aOff + i * aRowStride;
      for (let k = 0; k < K; k++) {
        const aik = a[ai + k * aColStride]!;
        if (aik === 0) continue;
        const bk = bOff + k * bRowStride;
        for (let j = 0; j < N; j++) c[ci + j] = c[ci + j]! + aik * b[bk + j]!;
      }
    }
    return;
  }
  // Otherwise each C[i,j] is a dot product along k.
  for (let i = 0; i < M; i++) {
    const ai = aOff + i * aRowStride;
    const ci = cOff + i * N;
    for (let j = 0; j < N; j++) {
      const bj = bOff + j * bColStride;
      let sum = 0;
      for (let k = 0; k < K; k++) sum += a[ai + k * aColStride]! * b[bj + k * bRowStride]!;
      c[ci + j] = c[ci + j]! + sum;
    }
  }
}
