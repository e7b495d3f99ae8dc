import type { TypedArray } from '../../dtype.js';
import { logsumexpRowsJs, softmaxRowsBackwardJs, softmaxRowsJs } from '../js/softmax.js';
import { softmaxXentRowsJs } from '../js/softmax-xent.js';
import { addressOf, wasmKernels } from './module.js';
import { overlaps } from './overlap.js';

/** Throws if the `bytes`-long regions at `out` and `input` overlap without being the same. */
function checkAlias(name: string, out: number, input: number, bytes: number): void {
  if (bytes > 0 && out !== input && overlaps(out, out + bytes - 1, input, input + bytes - 1)) {
    throw new RangeError(`${name} kernel: the output overlaps an input other than in place`);
  }
}

/** `softmaxRowsJs` on the WebAssembly kernel (float32 arrays of the kernels' memory). */
export function softmaxRowsWasm(rows: number, n: number, x: TypedArray, xOff: number, out: TypedArray, outOff: number, log: boolean): void {
  const k = rows * n > 0 ? wasmKernels() : null;
  const px = k ? addressOf(k, x, xOff) : -1;
  const po = k ? addressOf(k, out, outOff) : -1;
  if (!k || px < 0 || po < 0) return softmaxRowsJs(rows, n, x, xOff, out, outOff, log);
  checkAlias('softmax', po, px, rows * n * 4);
  k.exports.softmaxRows(rows, n, px, po, +log);
}

/** `softmaxRowsBackwardJs` on the WebAssembly kernel. */
export function softmaxRowsBackwardWasm(
  rows: number,
  n: number,
  y: TypedArray,
  yOff: number,
  gradOut: TypedArray,
  gOff: number,
  gradIn: TypedArray,
  giOff: number,
  log: boolean,
): void {
  const k = rows * n > 0 ? wasmKernels() : null;
  const py = k ? addressOf(k, y, yOff) : -1;
  const pg = k ? addressOf(k, gradOut, gOff) : -1;
  const pi = k ? addressOf(k, gradIn, giOff) : -1;
  if (!k || py < 0 || pg < 0 || pi < 0) return softmaxRowsBackwardJs(rows, n, y, yOff, gradOut, gOff, gradIn, giOff, log);
  // Each row's sum is taken before the row is written, so gradIn may be gradOut but not y.
  checkAlias('softmax backward', pi, pg, rows * n * 4);
  if (overlaps(pi, pi + rows * n * 4 - 1, py, py + rows * n * 4 - 1)) {
    throw new RangeError('softmax backward kernel: the input gradient overlaps the output y');
  }
  k.exports.softmaxRowsBackward(rows, n, py, pg, pi, +log);
}

/** `logsumexpRowsJs` on the WebAssembly kernel. */
export function logsumexpRowsWasm(rows: number, n: number, x: TypedArray, xOff: number, out: TypedArray, outOff: number): void {
  const k = rows > 0 ? wasmKernels() : null;
  const px = k ? addressOf(k, x, xOff) : -1;
  const po = k ? addressOf(k, out, outOff) : -1;
  if (!k || px < 0 || po < 0) return logsumexpRowsJs(rows, n, x, xOff, out, outOff);
  if (n > 0 && overlaps(po, po + rows * 4 - 1, px, px + rows * n * 4 - 1)) {
    throw new RangeError('logsumexp kernel: the output overlaps the input');
  }
  k.exports.logsumexpRows(rows, n, px, po);
}

/** `softmaxXentRowsJs` on the WebAssembly kernel (int32 targets in the kernels' memory too). */
export function softmaxXentRowsWasm(
  rows: number,
  n: number,
  x: TypedArray,
  xOff: number,
  targets: Int32Array,
  tOff: number,
  loss: TypedArray,
  lossOff: number,
  grad: TypedArray | null,
  gOff: number,
): void {
  const k = rows > 0 && n > 0 ? wasmKernels() : null;
  const px = k ? addressOf(k, x, xOff) : -1;
  const pt = k ? addressOf(k, targets, tOff, true) : -1;
  const pl = k ? addressOf(k, loss, lossOff) : -1;
  const pg = k && grad ? addressOf(k, grad, gOff) : 0;
  if (!k || px < 0 || pt < 0 || pl < 0 || pg < 0) return softmaxXentRowsJs(rows, n, x, xOff, targets, tOff, loss, lossOff, grad, gOff);
  const xEnd = px + rows * n * 4 - 1;
  if (overlaps(pl, pl + rows * 4 - 1, px, xEnd) || (pg > 0 && overlaps(pg, pg + rows * n * 4 - 1, px, xEnd))) {
    throw new RangeError('softmax cross-entropy kernel: an output overlaps the logits');
  }
  k.exports.softmaxXentRows(rows, n, px, pt, pl, pg);
}
