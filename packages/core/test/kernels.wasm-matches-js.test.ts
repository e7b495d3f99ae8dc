import { describe, expect, it } from 'vitest';
import { Tensor, env, kernelInfo, matmul, matmulKernel, binaryKernel, to } from '../src/index.js';
import { binaryJs, type BinaryOp } from '../src/kernels/js/binary.js';
import { matmulJs } from '../src/kernels/js/matmul.js';
import { binaryWasm } from '../src/kernels/wasm/binary.js';
import { matmulWasm } from '../src/kernels/wasm/matmul.js';
import { matmulBlas } from '../src/kernels/blas/matmul.js';
import { broadcastShapes, broadcastStrides, contiguousStrides, numel } from '../src/tensor/shape.js';

/** A deterministic stream of floats in [-1, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

/** A float32 array of n random values in the shared memory. */
function shared(n: number, next: () => number): Float32Array {
  const data = Tensor.empty([Math.max(n, 1)], 'float32').data() as Float32Array;
  for (let i = 0; i < data.length; i++) data[i] = next();
  return data;
}

function maxAbsDiff(x: Float32Array, y: Float32Array): number {
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
}

const wasmOn = env.kernels !== 'js';

describe.skipIf(!wasmOn)('WebAssembly kernels are installed', () => {
  it('loads a SIMD build and routes float32 matmul and binary ops to it', () => {
    const info = kernelInfo();
    expect(['wasm-simd', 'wasm-relaxed-simd']).toContain(info.backend);
    // Matmul goes to the native BLAS where one loaded (kernels.blas-matches-js.test.ts).
    expect(info.kernels['matmul']).toBe(info.blas ? 'blas' : 'wasm');
    expect(info.kernels['binary']).toBe('wasm');
    expect(matmulKernel.select('float32')).toBe(info.blas ? matmulBlas : matmulWasm);
    expect(matmulKernel.select('float64')).toBe(info.blas ? matmulBlas : matmulJs);
    expect(binaryKernel.select('float32')).toBe(binaryWasm);
  });
});

describe.skipIf(!wasmOn)('matmul: WebAssembly matches the TypeScript reference', () => {
  // Register tile 4×8, blocks KC=256, MC=128: sizes straddle each of them.
  const sizes: [number, number, number][] = [
    [1, 1, 1],
    [1, 3, 5],
    [3, 5, 17],
    [5, 17, 3],
    [17, 1, 255],
    [255, 5, 1],
    [4, 8, 256],
    [7, 9, 257],
    [33, 31, 29],
    [129, 17, 65],
    [130, 40, 300],
    [1, 255, 17],
    [64, 64, 64],
    [3, 2050, 5],
  ];
  type Layout = 'nn' | 'nt' | 'tn' | 'tt' | 'strided' | 'broadcast';
  const layouts: Layout[] = ['nn', 'nt', 'tn', 'tt', 'strided', 'broadcast'];

  /** Strides (row, col) of an [r, c] operand stored in `layout`, and the elements it spans. */
  function operand(layout: Layout, r: number, c: number, first: boolean): { rs: number; cs: number; n: number } {
    const transposed = layout === 'tt' || (first ? layout === 'tn' : layout === 'nt');
    if (layout === 'strided') return { rs: 2 * c + 3, cs: 2, n: (r - 1) * (2 * c + 3) + (c - 1) * 2 + 1 };
    if (layout === 'broadcast' && !first) return { rs: 0, cs: 1, n: c };
    return transposed ? { rs: 1, cs: r, n: r * c } : { rs: c, cs: 1, n: r * c };
  }

  it.each(layouts)('%s operands on awkward sizes, with and without accumulate', (layout) => {
    const next = lcg(7);
    for (const [M, N, K] of sizes) {
      const A = operand(layout, M, K, true);
      const B = operand(layout, K, N, false);
      const a = shared(A.n + 5, next);
      const b = shared(B.n + 3, next);
      for (const accumulate of [false, true]) {
        const init = shared(M * N, next);
        const want = shared(M * N, next);
        const got = shared(M * N, next);
        want.set(init);
        got.set(init);
        matmulJs(M, N, K, a, 5, A.rs, A.cs, b, 3, B.rs, B.cs, want, 0, accumulate);
        matmulWasm(M, N, K, a, 5, A.rs, A.cs, b, 3, B.rs, B.cs, got, 0, accumulate);
        const tol = 2e-6 * K + 1e-6;
        expect(maxAbsDiff(got.subarray(0, M * N), want.subarray(0, M * N)), `${layout} ${M}x${N}x${K} acc=${accumulate}`).toBeLessThan(tol);
      }
    }
  });

  it('writes only the output rows it owns (element offset into a larger array)', () => {
    const next = lcg(3);
    const [M, N, K] = [5, 17, 3];
    const a = shared(M * K, next);
    const b = shared(K * N, next);
    const c = shared(M * N + 20, next);
    const before = Float32Array.from(c);
    matmulWasm(M, N, K, a, 0, K, 1, b, 0, N, 1, c, 10, false);
    expect(Array.from(c.subarray(0, 10))).toEqual(Array.from(before.subarray(0, 10)));
    expect(Array.from(c.subarray(10 + M * N))).toEqual(Array.from(before.subarray(10 + M * N)));
  });

  it('batched and broadcast matmul through the op agree with the float64 reference kernel', () => {
    const next = lcg(11);
    const cases: [number[], number[]][] = [
      [
        [3, 5, 17],
        [3, 17, 9],
      ],
      [
        [2, 1, 7, 13],
        [4, 13, 6],
      ],
      [
        [17, 255],
        [255, 3],
      ],
    ];
    for (const [sa, sb] of cases) {
      const a = Tensor.empty(sa, 'float32');
      const b = Tensor.empty(sb, 'float32');
      for (const t of [a, b]) {
        const d = t.data();
        for (let i = 0; i < d.length; i++) d[i] = next();
      }
      const got = matmul(a, b).toArray() as Float32Array;
      const want = matmul(to(a, 'float64'), to(b, 'float64')).toArray() as Float64Array;
      const K = sa[sa.length - 1]!;
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(2e-6 * K);
      // Transposed views go through the same kernel without copies.
      const gotT = matmul(b.transpose(-1, -2), a.transpose(-1, -2)).toArray() as Float32Array;
      const wantT = matmul(to(b, 'float64').transpose(-1, -2), to(a, 'float64').transpose(-1, -2)).toArray() as Float64Array;
      for (let i = 0; i < wantT.length; i++) expect(Math.abs(gotT[i]! - wantT[i]!)).toBeLessThan(2e-6 * K);
    }
  });

  it('refuses an output that overlaps an input', () => {
    const a = shared(64, lcg(1));
    expect(() => matmulWasm(4, 4, 4, a, 0, 4, 1, a, 16, 4, 1, a, 8, false)).toThrow(/matmul kernel: the output \[4, 4\] overlaps an input/);
  });

  it('falls back to the reference for arrays outside the shared memory', () => {
    const next = lcg(5);
    const a = Float32Array.from({ length: 15 }, next);
    const b = Float32Array.from({ length: 15 }, next);
    const want = new Float32Array(9);
    const got = new Float32Array(9);
    matmulJs(3, 3, 5, a, 0, 5, 1, b, 0, 1, 5, want, 0, false);
    matmulWasm(3, 3, 5, a, 0, 5, 1, b, 0, 1, 5, got, 0, false);
    expect(got).toEqual(want);
  });
});

describe.skipIf(!wasmOn)('binary: WebAssembly matches the TypeScript reference bit for bit', () => {
  const ops: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow'];
  const shapes: [number[], number[]][] = [
    [[1], [1]],
    [[3], [3]],
    [[5], [1]],
    [[1], [17]],
    [[255], [255]],
    [[17, 255], [255]],
    [
      [255, 5],
      [255, 1],
    ],
    [
      [3, 1, 5],
      [1, 17, 1],
    ],
    [
      [2, 3, 5, 7],
      [3, 1, 7],
    ],
    [[5, 17], []],
    [[], [3, 5]],
    [
      [4, 1, 9],
      [4, 3, 9],
    ],
  ];

  function run(op: BinaryOp, sa: number[], sb: number[], next: () => number, transposeA: boolean) {
    const shape = broadcastShapes(sa, sb, op);
    const a = shared(numel(sa), next);
    const b = shared(numel(sb), next);
    let aStrides = contiguousStrides(sa);
    if (transposeA && sa.length === 2) aStrides = [1, sa[0]!];
    const aS = broadcastStrides(sa, aStrides, shape);
    const bS = broadcastStrides(sb, contiguousStrides(sb), shape);
    const aContig = !transposeA && sa.length === shape.length && sa.every((d, i) => d === shape[i]);
    const bContig = sb.length === shape.length && sb.every((d, i) => d === shape[i]);
    const n = numel(shape);
    const want = shared(n, next);
    const got = shared(n, next);
    binaryJs(op, shape, want, 0, a, 0, aS, aContig, b, 0, bS, bContig);
    binaryWasm(op, shape, got, 0, a, 0, aS, aContig, b, 0, bS, bContig);
    expect(Array.from(got.subarray(0, n)), `${op} ${sa} ${sb}`).toEqual(Array.from(want.subarray(0, n)));
  }

  it.each(ops)('%s over broadcast shapes (and transposed operands)', (op) => {
    const next = lcg(13);
    for (const [sa, sb] of shapes) {
      run(op, sa, sb, next, false);
      run(op, sb, sa, next, false);
    }
    run(op, [17, 5], [17, 5], next, true);
    run(op, [3, 255], [255], next, true);
  });

  it('propagates NaN through maximum and minimum', () => {
    const a = shared(9, () => 1);
    const b = shared(9, () => 2);
    a[4] = NaN;
    b[7] = NaN;
    for (const op of ['maximum', 'minimum'] as const) {
      const out = shared(9, () => 0);
      binaryWasm(op, [9], out, 0, a, 0, [1], true, b, 0, [1], true);
      expect(Number.isNaN(out[4]!) && Number.isNaN(out[7]!)).toBe(true);
      expect(out[0]).toBe(op === 'maximum' ? 2 : 1);
    }
  });

  it('runs in place when the output is the first operand, and refuses partial overlap', () => {
    const next = lcg(17);
    const x = shared(255 * 3, next);
    const bias = shared(255, next);
    const want = Float32Array.from(x);
    binaryJs('add', [3, 255], want, 0, want, 0, [255, 1], true, bias, 0, [0, 1], false);
    binaryWasm('add', [3, 255], x, 0, x, 0, [255, 1], true, bias, 0, [0, 1], false);
    expect(Array.from(x)).toEqual(Array.from(want));
    expect(() => binaryWasm('add', [10], x, 1, x, 0, [1], true, bias, 0, [1], true)).toThrow(
      /add kernel: the output of shape \[10\] overlaps an input/,
    );
  });
});
