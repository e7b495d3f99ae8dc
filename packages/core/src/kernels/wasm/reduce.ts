import type { TypedArray } from '../../dtype.js';
import { sumAxisJs } from '../js/reduce.js';
import { centredSquaresJs } from '../js/row-moments.js';
import { addressOf, wasmKernels } from './module.js';
import { overlaps } from './overlap.js';

/** `sumAxisJs` on the WebAssembly kernel (float32 arrays of the kernels' memory; JS otherwise). */
export function sumAxisWasm(outer: number, r: number, inner: number, x: TypedArray, xOff: number, out: TypedArray, outOff: number): void {
  const k = wasmKernels();
  const px = k ? addressOf(k, x, xOff) : -1;
  const po = k ? addressOf(k, out, outOff) : -1;
  if (!k || px < 0 || po < 0) return sumAxisJs(outer, r, inner, x, xOff, out, outOff);
  const n = outer * inner;
  if (n === 0) return;
  if (r > 0 && overlaps(po, po + n * 4 - 1, px, px + n * r * 4 - 1)) {
    throw new RangeError(`sum kernel: the output [${outer}, ${inner}] overlaps the input [${outer}, ${r}, ${inner}]`);
  }
  k.exports.sumAxis(outer, r, inner, px, po);
}

/** `centredSquaresJs` on the WebAssembly kernel (float32 arrays of the kernels' memory; JS otherwise). */
export function centredSquaresWasm(
  rows: number,
  n: number,
  x: TypedArray,
  xOff: number,
  centres: TypedArray,
  cOff: number,
  out: TypedArray,
  outOff: number,
): void {
  const k = rows > 0 ? wasmKernels() : null;
  const px = k ? addressOf(k, x, xOff) : -1;
  const pc = k ? addressOf(k, centres, cOff) : -1;
  const po = k ? addressOf(k, out, outOff) : -1;
  if (!k || px < 0 || pc < 0 || po < 0) return centredSquaresJs(rows, n, x, xOff, centres, cOff, out, outOff);
  k.exports.centredSquares(rows, n, px, pc, po);
}
