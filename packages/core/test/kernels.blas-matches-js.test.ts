import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Tensor, conv2d, env, kernelInfo, matmul, matmulKernel, permute, randn, transpose } from '../src/index.js';
import { blasLibrary } from '../src/kernels/blas/library.js';
import { loadBlas } from '../src/kernels/blas/load.js';
import { BLAS_MIN_MULTIPLY_ADDS, gemmOnBlas, matmulBlas } from '../src/kernels/blas/matmul.js';
import { matmulJs } from '../src/kernels/js/matmul.js';
import { matmulWasm } from '../src/kernels/wasm/matmul.js';

const info = kernelInfo();
const lib = blasLibrary();
const notice = lib
  ? `BLAS: ${lib.info.vendor} from ${lib.info.library} (core ${lib.info.coreType ?? 'n/a'})`
  : `NO BLAS — the BLAS tests are skipped (LOOM_BLAS=${info.blasPreference}${info.blasFallbackReason ? `: ${info.blasFallbackReason}` : ''})`;
// A visible line in the test log either way: a run without a BLAS must not look like one with it.
console.warn(`[kernels.blas-matches-js] ${notice}`);

/** A deterministic stream of floats in [-1, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

type Float = 'float32' | 'float64';

/** An array of n random values in the shared memory. */
function shared(dtype: Float, n: number, next: () => number): Float32Array | Float64Array {
  const data = Tensor.empty([Math.max(n, 1)], dtype).data() as Float32Array | Float64Array;
  for (let i = 0; i < data.length; i++) data[i] = next();
  return data;
}

function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
}

describe('LOOM_BLAS routing', () => {
  it('routes matmul to the BLAS exactly when one loaded, and reports it', () => {
    if (env.blas.mode === 'off' || env.kernels === 'js') expect(info.blas).toBeNull();
    if (info.blas) {
      expect(info.kernels['matmul']).toBe('blas');
      expect(matmulKernel.select('float32')).toBe(matmulBlas);
      expect(matmulKernel.select('float64')).toBe(matmulBlas);
      expect(info.blas.library.length).toBeGreaterThan(0);
      if (info.blas.vendor === 'OpenBLAS') {
        expect(info.blas.singleThreaded).toBe(true);
        expect(info.blas.coreType).toMatch(/\S/);
        expect(info.blas.config).toMatch(/OpenBLAS/);
      }
    } else {
      expect(info.kernels['matmul']).not.toBe('blas');
      expect(matmulKernel.select('float32')).toBe(env.kernels === 'js' ? matmulJs : matmulWasm);
      expect(matmulKernel.select('float64')).toBe(matmulJs);
    }
  });

  it('names the library it cannot load, and a library that is not a CBLAS', () => {
    expect(() => loadBlas({ mode: 'library', library: '/nonexistent/libnoblas.so' })).toThrow(
      /\/nonexistent\/libnoblas\.so cannot be loaded/,
    );
    if (process.platform === 'linux') {
      expect(() => loadBlas({ mode: 'library', library: 'libm.so.6' })).toThrow(/libm\.so\.6 has no cblas_sgemm/);
    }
  });

  it('throws on the first matmul, and from kernelInfo, when LOOM_BLAS names a library that does not load', async () => {
    const dist = new URL('../dist/index.js', import.meta.url).href;
    const code = `
      const { parentPort } = require('node:worker_threads');
      import(${JSON.stringify(dist)}).then((L) => {
        const errors = [];
        for (const run of [() => L.kernelInfo(), () => L.matmul(L.randn([64, 64]), L.randn([64, 64]))]) {
          try { run(); errors.push(null); } catch (e) { errors.push(e.message); }
        }
        parentPort.postMessage(errors);
      });`;
    const worker = new Worker(code, { eval: true, env: { ...process.env, LOOM_KERNELS: 'auto', LOOM_BLAS: '/nonexistent/libnoblas.so' } });
    const errors = await new Promise<(string | null)[]>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    for (const message of errors)
      expect(message).toMatch(/^LOOM_BLAS=\/nonexistent\/libnoblas\.so, but no BLAS could be loaded: .*libnoblas\.so cannot be loaded/);
  });
});

describe.skipIf(!lib)(`BLAS matmul matches the TypeScript reference (${notice})`, () => {
  const sizes: [number, number, number][] = [
    [1, 1, 1],
    [1, 3, 5],
    [3, 5, 17],
    [5, 17, 3],
    [17, 1, 255],
    [255, 5, 1],
    [7, 9, 257],
    [33, 31, 29],
    [129, 17, 65],
    [64, 64, 64],
    [3, 2050, 5],
    // Few rows, large K·N: with B read transposed ('nt', 'padded'), float32 takes the swapped product (swapIsFaster).
    [16, 256, 520],
    [32, 300, 450],
  ];
  type Layout = 'nn' | 'nt' | 'tn' | 'tt' | 'padded' | 'strided' | 'broadcast';
  const layouts: Layout[] = ['nn', 'nt', 'tn', 'tt', 'padded', 'strided', 'broadcast'];

  /** Strides (row, col) of an [r, c] operand stored in `layout`, and the elements it spans. */
  function operand(layout: Layout, r: number, c: number, first: boolean): { rs: number; cs: number; n: number } {
    const transposed = layout === 'tt' || (first ? layout === 'tn' : layout === 'nt');
    // 'padded': a row-major matrix inside a wider one (BLAS reads it in place with lda > cols).
    if (layout === 'padded') return first ? { rs: c + 3, cs: 1, n: (r - 1) * (c + 3) + c } : { rs: 1, cs: r + 2, n: (c - 1) * (r + 2) + r };
    // 'strided' and 'broadcast' have no BLAS layout: they are copied first.
    if (layout === 'strided') return { rs: 2 * c + 3, cs: 2, n: (r - 1) * (2 * c + 3) + (c - 1) * 2 + 1 };
    if (layout === 'broadcast' && !first) return { rs: 0, cs: 1, n: c };
    return transposed ? { rs: 1, cs: r, n: r * c } : { rs: c, cs: 1, n: r * c };
  }

  for (const dtype of ['float32', 'float64'] as const) {
    it.each(layouts)(`${dtype}: %s operands on odd sizes, with and without accumulate`, (layout) => {
      const next = lcg(11);
      for (const [M, N, K] of sizes) {
        const A = operand(layout, M, K, true);
        const B = operand(layout, K, N, false);
        const a = shared(dtype, A.n + 5, next);
        const b = shared(dtype, B.n + 3, next);
        for (const accumulate of [false, true]) {
          const init = shared(dtype, M * N, next);
          const want = shared(dtype, M * N, next);
          const got = shared(dtype, M * N, next);
          want.set(init);
          got.set(init);
          matmulJs(M, N, K, a, 5, A.rs, A.cs, b, 3, B.rs, B.cs, want, 0, accumulate);
          expect(gemmOnBlas(lib!, M, N, K, a, 5, A.rs, A.cs, b, 3, B.rs, B.cs, got, 0, accumulate)).toBe(true);
          const tol = dtype === 'float32' ? 2e-6 * K + 1e-6 : 1e-14 * K + 1e-15;
          expect(maxAbsDiff(got.subarray(0, M * N), want.subarray(0, M * N)), `${layout} ${M}x${N}x${K} acc=${accumulate}`).toBeLessThan(
            tol,
          );
        }
      }
    });
  }

  it('writes only the output rows it owns and refuses an output that overlaps an input', () => {
    const next = lcg(3);
    const [M, N, K] = [5, 17, 3];
    const a = shared('float32', M * K, next);
    const b = shared('float32', K * N, next);
    const c = shared('float32', M * N + 20, next);
    const before = Float32Array.from(c);
    expect(gemmOnBlas(lib!, M, N, K, a, 0, K, 1, b, 0, N, 1, c, 10, false)).toBe(true);
    expect(Array.from(c.subarray(0, 10))).toEqual(Array.from(before.subarray(0, 10)));
    expect(Array.from(c.subarray(10 + M * N))).toEqual(Array.from(before.subarray(10 + M * N)));
    expect(() => gemmOnBlas(lib!, M, N, K, c, 0, K, 1, b, 0, N, 1, c, 2, false)).toThrow(/overlaps an input/);
  });

  it('leaves arrays outside the memory, mixed dtypes and empty products to the other kernels', () => {
    const [M, N, K] = [32, 32, 32];
    expect(
      gemmOnBlas(lib!, M, N, K, new Float32Array(M * K), 0, K, 1, new Float32Array(K * N), 0, N, 1, new Float32Array(M * N), 0, false),
    ).toBe(false);
    const a64 = Tensor.empty([M, K], 'float64').data();
    const b32 = Tensor.empty([K, N], 'float32').data();
    expect(gemmOnBlas(lib!, M, N, K, a64, 0, K, 1, b32, 0, N, 1, Tensor.empty([M, N], 'float32').data(), 0, false)).toBe(false);
    expect(gemmOnBlas(lib!, M, N, 0, a64, 0, 0, 1, a64, 0, N, 1, Tensor.empty([M, N], 'float64').data(), 0, false)).toBe(false);
  });

  it.each(['float32', 'float64'] as const)('%s: batched, broadcast and permuted matmul through the op match the reference', (dtype) => {
    const a = randn([3, 40, 30], { dtype });
    const b = randn([30, 50], { dtype });
    expect(40 * 50 * 30).toBeGreaterThanOrEqual(BLAS_MIN_MULTIPLY_ADDS[dtype]);
    // A batch-transposed view: each matrix is column-major, and the batch stride is not M·K.
    const at = permute(randn([30, 3, 40], { dtype }), [1, 2, 0]);
    for (const [x, y] of [
      [a, b],
      [at, transpose(randn([50, 30], { dtype }), 0, 1)],
    ] as const) {
      const got = matmul(x, y).tolist() as number[][][];
      const X = x.tolist() as number[][][];
      const Y = y.tolist() as number[][];
      for (let n = 0; n < 3; n++) {
        for (const [i, j] of [
          [0, 0],
          [39, 49],
          [17, 23],
          [5, 41],
        ] as const) {
          let s = 0;
          for (let k = 0; k < 30; k++) s += X[n]![i]![k]! * Y[k]![j]!;
          expect(Math.abs(got[n]![i]![j]! - s)).toBeLessThan(dtype === 'float32' ? 1e-4 : 1e-12);
        }
      }
    }
  });

  it('runs conv2d (im2col·weight and both gradients) through the BLAS, matching a direct convolution', () => {
    const [N, C, H, W, O, k] = [2, 3, 12, 12, 8, 3];
    const x = randn([N, C, H, W], { dtype: 'float64', requiresGrad: true });
    const w = randn([O, C, k, k], { dtype: 'float64', requiresGrad: true });
    expect(O * (H - 2) * (W - 2) * C * k * k).toBeGreaterThanOrEqual(BLAS_MIN_MULTIPLY_ADDS.float64);
    const y = conv2d(x, w);
    const X = x.tolist() as number[][][][];
    const Wt = w.tolist() as number[][][][];
    const Y = y.tolist() as number[][][][];
    // The gradient of sum(y · G) for a fixed G, by hand: dx and dw are correlations with G.
    const G = randn(y.shape, { dtype: 'float64' });
    const Ga = G.tolist() as number[][][][];
    const direct = (n: number, o: number, i: number, j: number): number => {
      let s = 0;
      for (let c = 0; c < C; c++)
        for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) s += X[n]![c]![i + p]![j + q]! * Wt[o]![c]![p]![q]!;
      return s;
    };
    for (const [n, o, i, j] of [
      [0, 0, 0, 0],
      [1, 7, 9, 9],
      [0, 3, 4, 8],
      [1, 2, 6, 1],
    ] as const) {
      expect(Math.abs(Y[n]![o]![i]![j]! - direct(n, o, i, j))).toBeLessThan(1e-12);
    }
    y.backward(G);
    const dw = w.grad!.tolist() as number[][][][];
    const dx = x.grad!.tolist() as number[][][][];
    let dw0 = 0;
    for (let n = 0; n < N; n++)
      for (let i = 0; i < H - 2; i++) for (let j = 0; j < W - 2; j++) dw0 += Ga[n]![5]![i]![j]! * X[n]![1]![i + 2]![j + 1]!;
    expect(Math.abs(dw[5]![1]![2]![1]! - dw0)).toBeLessThan(1e-11);
    let dx0 = 0;
    for (let o = 0; o < O; o++)
      for (let p = 0; p < k; p++)
        for (let q = 0; q < k; q++) {
          const [i, j] = [5 - p, 6 - q];
          if (i >= 0 && j >= 0 && i < H - 2 && j < W - 2) dx0 += Ga[1]![o]![i]![j]! * Wt[o]![2]![p]![q]!;
        }
    expect(Math.abs(dx[1]![2]![5]![6]! - dx0)).toBeLessThan(1e-11);
  });

  it('is loaded by a worker thread for itself, the same library as here', async () => {
    const dist = new URL('../dist/index.js', import.meta.url).href;
    const code = `
      const { parentPort } = require('node:worker_threads');
      import(${JSON.stringify(dist)}).then((L) => {
        const y = L.matmul(L.ones([64, 64]), L.ones([64, 64]));
        parentPort.postMessage({ blas: L.kernelInfo().blas, value: y.tolist()[3][5] });
      });`;
    const worker = new Worker(code, { eval: true });
    const result = await new Promise<{ blas: unknown; value: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(result.blas).toEqual(lib!.info);
    expect(result.value).toBe(64);
  });
});
