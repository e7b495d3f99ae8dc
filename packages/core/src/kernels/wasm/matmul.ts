import type { TypedArray } from '../../dtype.js';
import { matmulJs } from '../js/matmul.js';
import { addressOf, wasmKernels } from './module.js';
import { lastByte, overlaps } from './overlap.js';
import { scratch } from './scratch.js';

/**
 * `matmulJs`'s signature on the WebAssembly kernel: one packed, register-tiled routine covers
 * A·B, A·Bᵀ and Aᵀ·B (any non-negative strides). Arrays outside the kernels' memory, or of another
 * dtype, go to the JS kernel.
 */
export function matmulWasm(
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
  const k = wasmKernels();
  const pa = k ? addressOf(k, a, aOff) : -1;
  const pb = k ? addressOf(k, b, bOff) : -1;
  const pc = k ? addressOf(k, c, cOff) : -1;
  if (!k || pa < 0 || pb < 0 || pc < 0 || aRowStride < 0 || aColStride < 0 || bRowStride < 0 || bColStride < 0) {
    matmulJs(M, N, K, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, accumulate);
    return;
  }
  if (M === 0 || N === 0) return;
  const cEnd = pc + M * N * 4 - 1;
  if (K > 0) {
    if (
      overlaps(pc, cEnd, pa, lastByte(pa, M, aRowStride, K, aColStride)) ||
      overlaps(pc, cEnd, pb, lastByte(pb, K, bRowStride, N, bColStride))
    ) {
      throw new RangeError(`matmul kernel: the output [${M}, ${N}] overlaps an input`);
    }
  }
  const ex = k.exports;
  const s = scratch(ex.matmulScratchBytes(M, N, K));
  ex.matmul(M, N, K, pa, aRowStride, aColStride, pb, bRowStride, bColStride, pc, accumulate ? 1 : 0, s);
}
