import { describe, expect, it } from 'vitest';
import { env, Tensor } from '../src/index.js';
import * as codes from '../src/kernels/unary-codes.js';
import { UNARY_OPS, type UnaryOp, unaryBackwardJs, unaryJs } from '../src/kernels/js/unary.js';
import { addressOf, wasmKernels } from '../src/kernels/wasm/module.js';
import { unaryBackwardWasm, unaryWasm } from '../src/kernels/wasm/unary.js';

const OPS = Object.keys(UNARY_OPS) as UnaryOp[];

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

/** A float32 array in the shared memory (so the WebAssembly kernel can run on it). */
function shared(n: number, fill: (i: number) => number): Float32Array {
  const data = Tensor.empty([Math.max(n, 1)], 'float32').data() as Float32Array;
  for (let i = 0; i < data.length; i++) data[i] = fill(i);
  return data;
}

/** ±0, ±∞, NaN, the branch points of the kernels' approximations, then random values in ±12. */
const EDGES = [
  0,
  -0,
  Infinity,
  -Infinity,
  NaN,
  1,
  -1,
  0.5,
  88.5,
  89,
  100,
  -88,
  -100,
  1e-8,
  -1e-8,
  0.624,
  0.626,
  9,
  -9,
  20.7945,
  5,
  -5,
  2.5,
  -2.5,
  1e-30,
];
function inputs(n: number, next: () => number): Float32Array {
  return shared(n, (i) => (i < EDGES.length ? EDGES[i]! : 12 * next()));
}

/** Parameter values by the name the table gives them (each op is tested with every set). */
const PARAM_VALUES: Record<string, number[]> = {
  negativeSlope: [0.01, 0.2],
  'min (−∞ for none)': [-0.5, -Infinity],
  'max (+∞ for none)': [2, 0.25],
  minVal: [-1, -0.5],
  maxVal: [1, 2],
  beta: [1, 2],
  threshold: [20, 5],
  alpha: [1, 1.5],
  exponent: [3, 0.5],
  base: [2, 0.5],
};

function paramSets(op: UnaryOp): [number, number][] {
  const names = UNARY_OPS[op].params;
  if (names.length === 0) return [[0, 0]];
  return [0, 1].map((k) => [PARAM_VALUES[names[0]!]![k]!, names[1] ? PARAM_VALUES[names[1]]![k]! : 0]);
}

/**
 * Allowed error of the SIMD loops against the reference, in float32 ulps of the result (0: bit
 * for bit). The transcendental ones are polynomial approximations; leakyRelu multiplies by the
 * float32-rounded slope.
 */
const FORWARD_ULPS: Partial<Record<UnaryOp, number>> = {
  leakyRelu: 2,
  exp: 2,
  sigmoid: 2,
  tanh: 2,
  log: 2,
  softplus: 4,
  silu: 4,
  mish: 6,
  elu: 4,
  softsign: 2,
  gelu: 4,
  geluTanh: 4,
};
const BACKWARD_ULPS: Partial<Record<UnaryOp, number>> = {
  leakyRelu: 2,
  sigmoid: 2,
  tanh: 2,
  exp: 2,
  log: 2,
  softplus: 4,
  silu: 4,
  mish: 6,
  elu: 4,
  softsign: 2,
  gelu: 4,
  geluTanh: 4,
};
/**
 * GELU's 1 + erf(x/√2) (and 1 + tanh) cancels for negative x: float32 keeps an absolute error of
 * about 1e-7 there (PyTorch's float32 kernel too), so these get that much times |x| besides.
 */
const FORWARD_ABS_PER_X: Partial<Record<UnaryOp, number>> = { gelu: 2e-7, geluTanh: 2e-7 };
/** Their derivatives cancel the same way (cdf + x·pdf, 1 − tanh²): that much times |g·x|. */
const BACKWARD_ABS_PER_X: Partial<Record<UnaryOp, number>> = { gelu: 2e-7, geluTanh: 4e-7 };

function close(a: number, b: number, ulps: number, slack: number): boolean {
  if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) return true;
  return ulps > 0 && Math.abs(a - b) <= ulps * 1.2e-7 * Math.abs(b) + slack;
}

describe('the unary op table', () => {
  it('gives every op a distinct code of unary-codes.ts, and every code an op', () => {
    const byCode = new Map(OPS.map((op) => [UNARY_OPS[op].code, op]));
    expect(byCode.size).toBe(OPS.length);
    expect([...byCode.keys()].sort((a, b) => a - b)).toEqual(Object.values(codes).sort((a, b) => a - b));
    for (const op of OPS) expect(UNARY_OPS[op].params.length, op).toBeLessThanOrEqual(2);
  });
});

const wasmOn = env.kernels !== 'js';
const lengths = [1, 3, 5, 17, 255, 1001];

describe.skipIf(!wasmOn)('the WebAssembly unary kernel follows the table', () => {
  const k = wasmOn ? wasmKernels()! : null;
  const buf = shared(8, () => 1);
  const p = k ? addressOf(k, buf, 0) : 0;
  const traps = (fn: () => void): boolean => {
    try {
      fn();
      return false;
    } catch (e) {
      // WebAssembly's `unreachable` instruction: "RuntimeError: unreachable".
      if (e instanceof Error && e.message === 'unreachable') return true;
      throw e;
    }
  };

  it.each(OPS)('%s: has SIMD loops exactly where the table says, and traps elsewhere', (op) => {
    const { code, simd } = UNARY_OPS[op];
    expect(
      traps(() => k!.exports.unary(code, 4, p, p + 16, 0, 1)),
      'forward',
    ).toBe(!simd.forward);
    expect(
      traps(() => k!.exports.unaryBackward(code, 4, p, p, p, p + 16, 0, 1)),
      'backward',
    ).toBe(!simd.backward);
  });

  it('traps on codes that are no op instead of computing something else', () => {
    for (const bad of [-1, OPS.length + 5, 999]) {
      expect(traps(() => k!.exports.unary(bad, 4, p, p + 16, 0, 0))).toBe(true);
      expect(traps(() => k!.exports.unaryBackward(bad, 4, p, p, p, p + 16, 0, 0))).toBe(true);
    }
  });

  const forwardCases = OPS.filter((op) => UNARY_OPS[op].simd.forward).flatMap((op) =>
    paramSets(op).map(([p0, p1]) => [op, p0, p1] as const),
  );
  it.each(forwardCases)('%s(p0=%d, p1=%d) forward matches the reference, in place too', (op, p0, p1) => {
    const next = lcg(21);
    const ulps = FORWARD_ULPS[op] ?? 0;
    for (const n of lengths) {
      const x = inputs(n, next);
      const want = shared(n, () => 0);
      const got = shared(n, () => 0);
      unaryJs(op, n, x, 0, want, 0, p0, p1);
      unaryWasm(op, n, x, 0, got, 0, p0, p1);
      for (let i = 0; i < n; i++) {
        const perX = FORWARD_ABS_PER_X[op];
        if (!close(got[i]!, want[i]!, ulps, 1e-38 + (perX === undefined ? 0 : perX * Math.abs(x[i]!))))
          expect.fail(`${op} n=${n} [${i}] x=${x[i]}: ${got[i]} vs ${want[i]}`);
      }
      unaryWasm(op, n, x, 0, x, 0, p0, p1);
      expect(Array.from(x.subarray(0, n))).toEqual(Array.from(got.subarray(0, n)));
    }
  });

  const backwardCases = OPS.filter((op) => UNARY_OPS[op].simd.backward).flatMap((op) =>
    paramSets(op).map(([p0, p1]) => [op, p0, p1] as const),
  );
  it.each(backwardCases)('%s(p0=%d, p1=%d) backward matches the reference', (op, p0, p1) => {
    const next = lcg(22);
    const ulps = BACKWARD_ULPS[op] ?? 0;
    for (const n of lengths) {
      const x = inputs(n, next);
      const y = shared(n, () => 0);
      unaryJs(op, n, x, 0, y, 0, p0, p1);
      const g = shared(n, () => 4 * next());
      const want = shared(n, () => 0);
      const got = shared(n, () => 0);
      unaryBackwardJs(op, n, x, 0, y, 0, g, 0, want, 0, p0, p1);
      unaryBackwardWasm(op, n, x, 0, y, 0, g, 0, got, 0, p0, p1);
      for (let i = 0; i < n; i++) {
        // Rules like tanh's 1 − y² cancel in float32 (as in PyTorch) where the reference works in
        // float64: an absolute slack of 1e-7·|g|.
        const perX = BACKWARD_ABS_PER_X[op];
        const slack = ulps > 0 ? Math.abs(g[i]!) * (1e-7 + (perX === undefined ? 0 : perX * Math.abs(x[i]!))) : 0;
        if (!close(got[i]!, want[i]!, ulps, slack)) {
          expect.fail(`${op} backward n=${n} [${i}] x=${x[i]} g=${g[i]}: ${got[i]} vs ${want[i]}`);
        }
      }
    }
  });
});
