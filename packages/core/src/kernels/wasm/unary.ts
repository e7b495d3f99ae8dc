import type { TypedArray } from '../../dtype.js';
import { UNARY_OPS, type UnaryOp, unaryBackwardJs, unaryJs } from '../js/unary.js';
import { addressOf, wasmKernels } from './module.js';
import { overlaps } from './overlap.js';

/** Whether the n-element runs at `out` and `input` overlap without being the same run. */
function badAlias(out: number, input: number, n: number): boolean {
  return out !== input && overlaps(out, out + n * 4 - 1, input, input + n * 4 - 1);
}

/** `unaryJs` on the WebAssembly kernel where the op table marks its forward SIMD; `out` may be `x` itself. */
export function unaryWasm(
  op: UnaryOp,
  n: number,
  x: TypedArray,
  xOff: number,
  out: TypedArray,
  outOff: number,
  p0: number,
  p1: number,
): void {
  const entry = UNARY_OPS[op];
  const k = entry.simd.forward && n > 0 ? wasmKernels() : null;
  const px = k ? addressOf(k, x, xOff) : -1;
  const po = k ? addressOf(k, out, outOff) : -1;
  if (!k || px < 0 || po < 0) return unaryJs(op, n, x, xOff, out, outOff, p0, p1);
  if (badAlias(po, px, n)) throw new RangeError(`${op} kernel: the output overlaps the input other than in place`);
  k.exports.unary(entry.code, n, px, po, p0, p1);
}

/** `unaryBackwardJs` on the WebAssembly kernel where the op table marks its backward SIMD. */
export function unaryBackwardWasm(
  op: UnaryOp,
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
): void {
  const entry = UNARY_OPS[op];
  const k = entry.simd.backward && n > 0 ? wasmKernels() : null;
  const px = k ? addressOf(k, x, xOff) : -1;
  const py = k ? addressOf(k, y, yOff) : -1;
  const pg = k ? addressOf(k, gradOut, gOff) : -1;
  const pi = k ? addressOf(k, gradIn, giOff) : -1;
  if (!k || px < 0 || py < 0 || pg < 0 || pi < 0) {
    return unaryBackwardJs(op, n, x, xOff, y, yOff, gradOut, gOff, gradIn, giOff, p0, p1);
  }
  if (badAlias(pi, px, n) || badAlias(pi, py, n) || badAlias(pi, pg, n)) {
    throw new RangeError(`${op} backward kernel: the input gradient overlaps an operand other than in place`);
  }
  k.exports.unaryBackward(entry.code, n, px, py, pg, pi, p0, p1);
}
