import type { TypedArray } from '../../dtype.js';
import { stridedLoop3 } from './strided.js';

/** The elementwise binary ops that have a kernel. */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'atan2';

export const binaryFns: Readonly<Record<BinaryOp, (x: number, y: number) => number>> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  pow: (x, y) => Math.pow(x, y),
  // NaN propagates as in PyTorch.
  maximum: (x, y) => (x !== x || y !== y ? NaN : x > y ? x : y),
  minimum: (x, y) => (x !== x || y !== y ? NaN : x < y ? x : y),
  atan2: (x, y) => Math.atan2(x, y),
};

/**
 * out = a ∘ b elementwise over `shape`; a and b are read through strides (0 where broadcast),
 * out is contiguous. Same-shape contiguous operands and a scalar operand take fast loops.
 */
export function binaryJs(
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
  let n = 1;
  for (const d of shape) n *= d;
  if (aContiguous && bContiguous) {
    switch (op) {
      case 'add':
        for (let i = 0; i < n; i++) out[outOff + i] = a[aOff + i]! + b[bOff + i]!;
        return;
      case 'sub':
        for (let i = 0; i < n; i++) out[outOff + i] = a[aOff + i]! - b[bOff + i]!;
        return;
      case 'mul':
        for (let i = 0; i < n; i++) out[outOff + i] = a[aOff + i]! * b[bOff + i]!;
        return;
      case 'div':
        for (let i = 0; i < n; i++) out[outOff + i] = a[aOff + i]! / b[bOff + i]!;
        return;
      default: {
        const f = binaryFns[op];
        for (let i = 0; i < n; i++) out[outOff + i] = f(a[aOff + i]!, b[bOff + i]!);
        return;
      }
    }
  }
  const f = binaryFns[op];
  if (aContiguous && bStrides.every((st) => st === 0)) {
    const y = b[bOff]!;
    for (let i = 0; i < n; i++) out[outOff + i] = f(a[aOff + i]!, y);
    return;
  }
  const outStrides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    outStrides[d] = s;
    s *= shape[d]!;
  }
  stridedLoop3(shape, aOff, aStrides, bOff, bStrides, outOff, outStrides, (ia, ib, io) => {
    out[io] = f(a[ia]!, b[ib]!);
  });
}
