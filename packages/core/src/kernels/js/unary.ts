/**
 * The unary op table: every elementwise unary op with a kernel, its code in the WebAssembly
 * module, its scalar parameters and its forward and backward TypeScript reference loops side by
 * side. The WebAssembly wrapper (kernels/wasm/unary.ts), the ops and the kernel parity tests all
 * derive from this table. Activations live in unary-activations.ts, the rest here.
 */
import type { TypedArray } from '../../dtype.js';
import * as code from '../unary-codes.js';
import { ACTIVATION_OPS } from './unary-activations.js';
import { clampForward, type UnaryOpEntry } from './unary-entry.js';

export type { UnaryOpEntry, UnaryForward, UnaryBackward } from './unary-entry.js';

/** x^e with the exact special cases PyTorch's pow(Tensor, Scalar) kernel takes. */
function powScalar(x: number, e: number): number {
  switch (e) {
    case 0:
      return 1;
    case 1:
      return x;
    case 2:
      return x * x;
    case 3:
      return x * x * x;
    case 0.5:
      return Math.sqrt(x);
    case -0.5:
      return 1 / Math.sqrt(x);
    case -1:
      return 1 / x;
    case -2:
      return 1 / (x * x);
    default:
      return Math.pow(x, e);
  }
}

const NONE = { forward: false, backward: false } as const;
const BOTH = { forward: true, backward: true } as const;

const ELEMENTARY_OPS = {
  exp: {
    code: code.EXP,
    params: [],
    simd: BOTH,
    forward: (n, x, xo, out, oo) => {
      for (let i = 0; i < n; i++) out[oo + i] = Math.exp(x[xo + i]!);
    },
    backward: (n, _x, _xo, y, yo, g, go, gi, gio) => {
      for (let i = 0; i < n; i++) gi[gio + i] = g[go + i]! * y[yo + i]!;
    },
  },
  log: {
    code: code.LOG,
    params: [],
    simd: BOTH,
    forward: (n, x, xo, out, oo) => {
      for (let i = 0; i < n; i++) out[oo + i] = Math.log(x[xo + i]!);
    },
    backward: (n, x, xo, _y, _yo, g, go, gi, gio) => {
      for (let i = 0; i < n; i++) gi[gio + i] = g[go + i]! / x[xo + i]!;
    },
  },
  log1p: {
    code: code.LOG1P,
    params: [],
    simd: NONE,
    forward: (n, x, xo, out, oo) => {
      for (let i = 0; i < n; i++) out[oo + i] = Math.log1p(x[xo + i]!);
    },
    backward: (n, x, xo, _y, _yo, g, go, gi, gio) => {
      for (let i = 0; i < n; i++) gi[gio + i] = g[go + i]! / (x[xo + i]! + 1);
    },
  },
  sqrt: {
    code: code.SQRT,
    params: [],
    simd: BOTH,
    forward: (n, x, xo, out, oo) => {
      for (let i = 0; i < n; i++) out[oo + i] = Math.sqrt(x[xo + i]!);
    },
    backward: (n, _x, _xo, y, yo, g, go, gi, gio) => {
      for (let i = 0; i < n; i++) gi[gio + i] = g[go + i]! / (2 * y[yo + i]!);
    },
  },
  abs: {
    code: code.ABS,
    params: [],
    simd: BOTH,
    forward: (n, x, xo, out, oo) => {
      for (let i = 0; i < n; i++) out[oo + i] = Math.abs(x[xo + i]!);
    },
    // sign(x)·g: 0 at 0.
    backward: (n, x, xo, _y, _yo, g, go, gi, gio) => {
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        gi[gio + i] = g[go + i]! * (+(v > 0) - +(v < 0));
      }
    },
  },
  sign: {
    code: code.SIGN,
    params: [],
    simd: NONE,
    // (0 < x) − (x < 0): 0 for ±0 and NaN, as PyTorch.
    forward: (n, x, xo, out, oo) => {
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        out[oo + i] = +(v > 0) - +(v < 0);
      }
    },
    backward: (n, _x, _xo, _y, _yo, _g, _go, gi, gio) => {
      gi.fill(0, gio, gio + n);
    },
  },
  clamp: {
    code: code.CLAMP,
    params: ['min (−∞ for none)', 'max (+∞ for none)'],
    simd: BOTH,
    forward: clampForward,
    // The gradient passes where lo ≤ x ≤ hi (boundaries included), as PyTorch.
    backward: (n, x, xo, _y, _yo, g, go, gi, gio, lo, hi) => {
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        gi[gio + i] = v >= lo && v <= hi ? g[go + i]! : 0;
      }
    },
  },
  square: {
    code: code.SQUARE,
    params: [],
    simd: BOTH,
    forward: (n, x, xo, out, oo) => {
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        out[oo + i] = v * v;
      }
    },
    // pow's rule with exponent 2: g·(2·x).
    backward: (n, x, xo, _y, _yo, g, go, gi, gio) => {
      for (let i = 0; i < n; i++) gi[gio + i] = g[go + i]! * (2 * x[xo + i]!);
    },
  },
  powScalar: {
    code: code.POW_SCALAR,
    params: ['exponent'],
    simd: NONE,
    forward: (n, x, xo, out, oo, e) => {
      for (let i = 0; i < n; i++) out[oo + i] = powScalar(x[xo + i]!, e);
    },
    backward: (n, x, xo, _y, _yo, g, go, gi, gio, e) => {
      if (e === 0) {
        gi.fill(0, gio, gio + n);
        return;
      }
      for (let i = 0; i < n; i++) gi[gio + i] = g[go + i]! * (e * powScalar(x[xo + i]!, e - 1));
    },
  },
  rpowScalar: {
    code: code.RPOW_SCALAR,
    params: ['base'],
    simd: NONE,
    forward: (n, x, xo, out, oo, b) => {
      for (let i = 0; i < n; i++) out[oo + i] = Math.pow(b, x[xo + i]!);
    },
    // ∂(b^x)/∂x = b^x·log b, masked to 0 where b = 0 and x ≥ 0 (PyTorch's convention).
    backward: (n, x, xo, y, yo, g, go, gi, gio, b) => {
      const logBase = Math.log(b);
      for (let i = 0; i < n; i++) {
        const masked = b === 0 && x[xo + i]! >= 0;
        gi[gio + i] = g[go + i]! * (masked ? 0 : y[yo + i]! * logBase);
      }
    },
  },
} satisfies Record<string, UnaryOpEntry>;

/** Every unary op by name. */
export const UNARY_OPS = { ...ELEMENTARY_OPS, ...ACTIVATION_OPS } satisfies Record<string, UnaryOpEntry>;

/** The name of a unary op of the table. */
export type UnaryOp = keyof typeof UNARY_OPS;

/** Runs op's forward reference loop. */
export function unaryJs(
  op: UnaryOp,
  n: number,
  x: TypedArray,
  xOff: number,
  out: TypedArray,
  outOff: number,
  p0: number,
  p1: number,
): void {
  UNARY_OPS[op].forward(n, x, xOff, out, outOff, p0, p1);
}

/** Runs op's backward reference loop. */
export function unaryBackwardJs(
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
  UNARY_OPS[op].backward(n, x, xOff, y, yOff, gradOut, gOff, gradIn, giOff, p0, p1);
}
