import { describe, expect, it } from 'vitest';
import { Tensor, env, sum, to } from '../src/index.js';
import { extremumRowsJs } from '../src/kernels/js/extrema.js';
import { sumAxisJs } from '../src/kernels/js/reduce.js';
import { type UnaryOp, unaryBackwardJs, unaryJs } from '../src/kernels/js/unary.js';
import { extremumRowsWasm } from '../src/kernels/wasm/extrema.js';
import { sumAxisWasm } from '../src/kernels/wasm/reduce.js';
import { unaryBackwardWasm, unaryWasm } from '../src/kernels/wasm/unary.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

function shared(n: number, fill: (i: number) => number): Float32Array {
  const data = Tensor.empty([Math.max(n, 1)], 'float32').data() as Float32Array;
  for (let i = 0; i < data.length; i++) data[i] = fill(i);
  return data;
}

/** Inputs with the awkward values: ±0, ±∞, NaN, then random ones (scaled by 4). */
function inputs(n: number, next: () => number): Float32Array {
  const special = [0, -0, Infinity, -Infinity, NaN, 1, -1, 0.5];
  return shared(n, (i) => (i < special.length ? special[i]! : 4 * next()));
}

const wasmOn = env.kernels !== 'js';
const lengths = [1, 3, 5, 17, 255, 1001];

describe.skipIf(!wasmOn)('unary kernels: WebAssembly matches the TypeScript reference', () => {
  const forward: [UnaryOp, number, number][] = [
    ['relu', 0, 0], ['leakyRelu', 0.01, 0], ['abs', 0, 0], ['sqrt', 0, 0], ['clamp', -0.5, 2], ['clamp', -Infinity, 0.25], ['powScalar', 2, 0],
  ];
  it.each(forward)('%s(p0=%d, p1=%d) bit for bit (leakyRelu within an ulp), in place too', (op, p0, p1) => {
    const next = lcg(21);
    for (const n of lengths) {
      const x = inputs(n, next);
      const want = shared(n, () => 0);
      const got = shared(n, () => 0);
      unaryJs(op, n, x, 0, want, 0, p0, p1);
      unaryWasm(op, n, x, 0, got, 0, p0, p1);
      if (op === 'leakyRelu') {
        for (let i = 0; i < n; i++) expect(Math.abs(got[i]! - want[i]!) <= 2.4e-7 * Math.abs(want[i]!) || Object.is(got[i], want[i])).toBe(true);
      } else {
        expect(Array.from(got.subarray(0, n)), `${op} n=${n}`).toEqual(Array.from(want.subarray(0, n)));
      }
      unaryWasm(op, n, x, 0, x, 0, p0, p1);
      expect(Array.from(x.subarray(0, n))).toEqual(Array.from(got.subarray(0, n)));
    }
  });

  it.each(['exp', 'sigmoid', 'tanh'] as const)('%s within 2 ulp (NaN, ±∞, ±0 and the branch points exactly as the reference)', (op) => {
    const next = lcg(25);
    const edges = [88.5, 89, 100, -88, -100, 1e-8, -1e-8, 0.624, 0.626, 9, -9, 20.7945];
    for (const n of [...lengths, 4096]) {
      const x = inputs(n, next);
      for (let i = 8; i < n; i++) x[i] = i - 8 < edges.length ? edges[i - 8]! : 30 * next();
      const want = shared(n, () => 0);
      const got = shared(n, () => 0);
      unaryJs(op, n, x, 0, want, 0, 0, 0);
      unaryWasm(op, n, x, 0, got, 0, 0, 0);
      for (let i = 0; i < n; i++) {
        const [a, b] = [got[i]!, want[i]!];
        const close = Object.is(a, b) || Math.abs(a - b) <= 2.4e-7 * Math.abs(b) + 1e-38;
        if (!close) expect.fail(`${op} n=${n} [${i}] x=${x[i]}: ${a} vs ${b}`);
      }
    }
  });

  const backward: [UnaryOp, number, number][] = [
    ['relu', 0, 0], ['leakyRelu', 0.2, 0], ['abs', 0, 0], ['sqrt', 0, 0], ['clamp', -0.5, 2], ['sigmoid', 0, 0], ['tanh', 0, 0], ['exp', 0, 0],
  ];
  it.each(backward)('%s backward', (op, p0, p1) => {
    const next = lcg(22);
    for (const n of lengths) {
      const x = inputs(n, next);
      const y = shared(n, () => 0);
      unaryJs(op, n, x, 0, y, 0, p0, p1);
      const g = inputs(n, next);
      const want = shared(n, () => 0);
      const got = shared(n, () => 0);
      unaryBackwardJs(op, n, x, 0, y, 0, g, 0, want, 0, p0, p1);
      unaryBackwardWasm(op, n, x, 0, y, 0, g, 0, got, 0, p0, p1);
      for (let i = 0; i < n; i++) {
        const [a, b] = [got[i]!, want[i]!];
        // tanh's 1 − t² cancels in float32 (as in PyTorch); the reference works in float64.
        const close = Object.is(a, b) || Math.abs(a - b) <= 2.4e-7 * Math.abs(b) + 1e-7 * Math.abs(g[i]!);
        if (!close) expect.fail(`${op} backward n=${n} [${i}] x=${x[i]} g=${g[i]}: ${a} vs ${b}`);
      }
    }
  });

  it('leaves the transcendental ops to the reference kernel', () => {
    const x = inputs(17, lcg(23));
    const [want, got] = [shared(17, () => 0), shared(17, () => 0)];
    unaryJs('gelu', 17, x, 0, want, 0, 0, 0);
    unaryWasm('gelu', 17, x, 0, got, 0, 0, 0);
    expect(Array.from(got)).toEqual(Array.from(want));
  });
});

describe.skipIf(!wasmOn)('sum over an axis: WebAssembly matches the TypeScript reference', () => {
  it('for [outer, r, inner] blocks of awkward sizes', () => {
    const next = lcg(24);
    for (const outer of [1, 3, 17]) {
      for (const r of [0, 1, 5, 255]) {
        for (const inner of [1, 3, 17, 64]) {
          const x = shared(outer * r * inner + 2, next);
          const want = shared(outer * inner, () => 0);
          const got = shared(outer * inner, () => 0);
          sumAxisJs(outer, r, inner, x, 2, want, 0);
          sumAxisWasm(outer, r, inner, x, 2, got, 0);
          for (let i = 0; i < outer * inner; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-6 * Math.max(1, r));
        }
      }
    }
  });

  it('routes sum over consecutive dims of float32 tensors, agreeing with float64', () => {
    const next = lcg(25);
    const x = Tensor.empty([3, 5, 17, 4], 'float32');
    const d = x.data();
    for (let i = 0; i < d.length; i++) d[i] = next();
    for (const dims of [[0], [1, 2], [3], [0, 1, 2, 3], [0, 2]]) {
      const got = sum(x, dims).toArray();
      const want = sum(to(x, 'float64'), dims).toArray();
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-5);
    }
  });
});

describe.skipIf(!wasmOn)('max/min of rows with first indices: WebAssembly matches the reference exactly', () => {
  it.each([true, false])('isMax=%s, with repeats, ±0 and NaN', (isMax) => {
    const next = lcg(26);
    const pool = [0, -0, 1, -1, 2, NaN, Infinity, -Infinity];
    for (const [rows, n] of [[1, 1], [3, 5], [5, 17], [2, 255], [4, 3]] as const) {
      const x = shared(rows * n, () => {
        const u = next();
        return Math.abs(u) < 0.3 ? pool[Math.floor(Math.abs(u) * 26)]! : Math.round(u * 8) / 2;
      });
      const [wantV, gotV] = [shared(rows, () => 0), shared(rows, () => 0)];
      const [wantI, gotI] = [Tensor.empty([rows], 'int32').data() as Int32Array, Tensor.empty([rows], 'int32').data() as Int32Array];
      extremumRowsJs(rows, n, x, 0, wantV, 0, wantI, 0, isMax);
      extremumRowsWasm(rows, n, x, 0, gotV, 0, gotI, 0, isMax);
      expect(Array.from(gotV.subarray(0, rows))).toEqual(Array.from(wantV.subarray(0, rows)));
      expect(Array.from(gotI)).toEqual(Array.from(wantI));
      extremumRowsWasm(rows, n, x, 0, null, 0, gotI, 0, isMax);
      expect(Array.from(gotI)).toEqual(Array.from(wantI));
    }
  });
});
