import type { TypedArray } from '../../dtype.js';
import { type BinaryOp, binaryJs } from '../js/binary.js';
import { addressOf, wasmKernels } from './module.js';
import { overlaps } from './overlap.js';

/** The ops with a SIMD loop, by their code in the kernel module; pow and atan2 stay in JS. */
const OP_CODES: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5 };

/** The collapsed iteration space (at most 3 dims): sizes and each operand's element strides. */
const MAX_DIMS = 3;
const sizes = [0, 0, 0];
const aSt = [0, 0, 0];
const bSt = [0, 0, 0];

/**
 * Merges adjacent dims that every operand walks as one (the output is contiguous) and drops
 * size-1 dims; returns the number of dims left, or -1 if more than MAX_DIMS remain.
 */
function collapse(shape: readonly number[], aStrides: readonly number[], bStrides: readonly number[]): number {
  let nd = 0;
  for (let d = 0; d < shape.length; d++) {
    const s = shape[d]!;
    if (s === 1) continue;
    const sa = aStrides[d]!;
    const sb = bStrides[d]!;
    if (sa < 0 || sb < 0) return -1;
    if (nd > 0 && aSt[nd - 1] === sa * s && bSt[nd - 1] === sb * s) {
      sizes[nd - 1]! *= s;
      aSt[nd - 1] = sa;
      bSt[nd - 1] = sb;
      continue;
    }
    if (nd === MAX_DIMS) return -1;
    sizes[nd] = s;
    aSt[nd] = sa;
    bSt[nd] = sb;
    nd++;
  }
  return nd;
}

/** The last byte an operand with the collapsed strides touches. */
function lastOf(address: number, nd: number, strides: readonly number[]): number {
  let last = address;
  for (let d = 0; d < nd; d++) last += (sizes[d]! - 1) * strides[d]! * 4;
  return last + 3;
}

/** Whether an operand walks the collapsed space exactly as the contiguous output does. */
function sameLayoutAsOutput(nd: number, strides: readonly number[]): boolean {
  let expected = 1;
  for (let d = nd - 1; d >= 0; d--) {
    if (strides[d] !== expected) return false;
    expected *= sizes[d]!;
  }
  return true;
}

/**
 * `binaryJs`'s signature on the WebAssembly kernel. Broadcasting collapses to rows of a 2-D (or
 * 3-D) loop whose operands are full rows or broadcast values: same-shape, scalar, bias-row and
 * per-row cases. Other layouts (transposed inputs, more than three distinct dims), pow/atan2 and
 * arrays outside the kernels' memory go to the JS kernel. The output may be the first or second
 * operand itself (in-place ops), but must not otherwise overlap them.
 */
export function binaryWasm(
  op: BinaryOp,
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
  const code = OP_CODES[op];
  const k = code === undefined ? null : wasmKernels();
  const po = k ? addressOf(k, out, outOff) : -1;
  const pa = k ? addressOf(k, a, aOff) : -1;
  const pb = k ? addressOf(k, b, bOff) : -1;
  const nd = k && po >= 0 && pa >= 0 && pb >= 0 && !shape.includes(0) ? collapse(shape, aStrides, bStrides) : -1;
  const inner = nd - 1;
  if (!k || nd < 0 || (nd > 0 && (aSt[inner]! > 1 || bSt[inner]! > 1))) {
    if (!shape.includes(0)) binaryJs(op, shape, out, outOff, a, aOff, aStrides, aContiguous, b, bOff, bStrides, bContiguous);
    return;
  }
  let n = 1;
  for (let d = 0; d < nd; d++) n *= sizes[d]!;
  const outLast = po + n * 4 - 1;
  if (
    (overlaps(po, outLast, pa, lastOf(pa, nd, aSt)) && !(pa === po && sameLayoutAsOutput(nd, aSt))) ||
    (overlaps(po, outLast, pb, lastOf(pb, nd, bSt)) && !(pb === po && sameLayoutAsOutput(nd, bSt)))
  ) {
    throw new RangeError(`${op} kernel: the output of shape [${shape.join(', ')}] overlaps an input other than in place`);
  }
  const ex = k.exports;
  if (nd <= 2) {
    const rows = nd === 2 ? sizes[0]! : 1;
    const cols = nd === 0 ? 1 : sizes[inner]!;
    ex.binary2d(
      code!,
      rows,
      cols,
      po,
      pa,
      nd === 2 ? aSt[0]! : 0,
      nd === 0 ? 0 : aSt[inner]!,
      pb,
      nd === 2 ? bSt[0]! : 0,
      nd === 0 ? 0 : bSt[inner]!,
    );
    return;
  }
  const plane = sizes[1]! * sizes[2]!;
  for (let i = 0; i < sizes[0]!; i++) {
    ex.binary2d(
      code!,
      sizes[1]!,
      sizes[2]!,
      po + i * plane * 4,
      pa + i * aSt[0]! * 4,
      aSt[1]!,
      aSt[2]!,
      pb + i * bSt[0]! * 4,
      bSt[1]!,
      bSt[2]!,
    );
  }
}
