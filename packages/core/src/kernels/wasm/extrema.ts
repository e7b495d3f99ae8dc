import type { TypedArray } from '../../dtype.js';
import { extremumRowsJs } from '../js/extrema.js';
import { addressOf, wasmKernels } from './module.js';
import { overlaps } from './overlap.js';

/** `extremumRowsJs` on the WebAssembly kernel, with the same values and first indices. */
export function extremumRowsWasm(
  rows: number,
  n: number,
  x: TypedArray,
  xOff: number,
  values: TypedArray | null,
  vOff: number,
  indices: Int32Array | null,
  iOff: number,
  isMax: boolean,
): void {
  const k = rows > 0 && n > 0 ? wasmKernels() : null;
  const px = k ? addressOf(k, x, xOff) : -1;
  const pv = k && values ? addressOf(k, values, vOff) : 0;
  const pi = k && indices ? addressOf(k, indices, iOff, true) : 0;
  if (!k || px < 0 || pv < 0 || pi < 0) return extremumRowsJs(rows, n, x, xOff, values, vOff, indices, iOff, isMax);
  const xLast = px + rows * n * 4 - 1;
  if ((pv > 0 && overlaps(pv, pv + rows * 4 - 1, px, xLast)) || (pi > 0 && overlaps(pi, pi + rows * 4 - 1, px, xLast))) {
    throw new RangeError(`${isMax ? 'max' : 'min'} kernel: an output overlaps the input`);
  }
  k.exports.extremumRows(rows, n, px, pv, pi, +isMax);
}
