import { describe, expect, it } from 'vitest';
import { Tensor, env, sum, to } from '../src/index.js';
import { extremumRowsJs } from '../src/kernels/js/extrema.js';
import { sumAxisJs } from '../src/kernels/js/reduce.js';
import { extremumRowsWasm } from '../src/kernels/wasm/extrema.js';
import { centredSquaresWasm, sumAxisWasm } from '../src/kernels/wasm/reduce.js';
import { centredSquaresJs } from '../src/kernels/js/row-moments.js';

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

const wasmOn = env.kernels !== 'js';

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
    for (const [rows, n] of [
      [1, 1],
      [3, 5],
      [5, 17],
      [2, 255],
      [4, 3],
    ] as const) {
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

describe.skipIf(!wasmOn)("centred squares of rows (the norms' second pass): WebAssembly matches the reference", () => {
  it('for rows of awkward lengths, within float32 accumulation error', () => {
    const next = lcg(27);
    for (const [rows, n] of [
      [1, 1],
      [3, 5],
      [4, 8],
      [2, 17],
      [5, 255],
      [2, 1001],
    ] as const) {
      const x = shared(rows * n + 3, () => 3 + next());
      const centres = shared(rows, () => 3 + 0.1 * next());
      const [want, got] = [shared(rows, () => 0), shared(rows, () => 0)];
      centredSquaresJs(rows, n, x, 3, centres, 0, want, 0);
      centredSquaresWasm(rows, n, x, 3, centres, 0, got, 0);
      for (let r = 0; r < rows; r++) expect(Math.abs(got[r]! - want[r]!)).toBeLessThanOrEqual(1e-6 * want[r]! + 1e-30);
    }
  });
});
