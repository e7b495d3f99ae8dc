/**
 * Where the native BLAS starts to beat Loom's own matmul kernels, one thread: microseconds per
 * product of square and thin shapes on the WebAssembly kernel (float32) or the TypeScript one
 * (float64) and on the BLAS, called on the same tensors. BLAS_MIN_MULTIPLY_ADDS
 * (src/kernels/blas/matmul.ts) is set from this table.
 *
 *   pnpm --filter @loom/core build
 *   env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE node packages/core/bench/blas-crossover.mjs
 */
import { Bench } from 'tinybench';
import { kernelInfo, randn, describeKernels } from '../dist/index.js';
import { blasLibrary } from '../dist/kernels/blas/library.js';
import { gemmOnBlas } from '../dist/kernels/blas/matmul.js';
import { matmulJs } from '../dist/kernels/js/matmul.js';
import { matmulWasm } from '../dist/kernels/wasm/matmul.js';

const lib = blasLibrary();
if (!lib) {
  console.log(`no BLAS loaded (${kernelInfo().blasFallbackReason ?? `LOOM_BLAS=${kernelInfo().blasPreference}`}): nothing to compare`);
  process.exit(0);
}
const shapes = [4, 8, 12, 16, 24, 32, 48, 64, 128]
  .map((n) => [n, n, n])
  .concat([
    [64, 10, 128],
    [32, 128, 16],
    [256, 16, 16],
    // W1's first layer on a chunk of 16 rows and on a whole batch of 256: how thin chunks cost the BLAS.
    [16, 256, 784],
    [256, 256, 784],
  ]);

console.log(`${describeKernels()}, OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE ?? '(unset)'}\n`);
console.log('| M×N×K | dtype | own kernel µs | BLAS µs | BLAS speed-up | BLAS GFLOPS |');
console.log('|---|---|---:|---:|---:|---:|');
for (const dtype of ['float32', 'float64']) {
  const own = dtype === 'float32' ? matmulWasm : matmulJs;
  for (const [M, N, K] of shapes) {
    const A = randn([M, K], { dtype }).data();
    const B = randn([K, N], { dtype }).data();
    const C = randn([M, N], { dtype }).data();
    const bench = new Bench({ time: 150, warmupTime: 30 });
    bench.add('own', () => own(M, N, K, A, 0, K, 1, B, 0, N, 1, C, 0, false));
    bench.add('blas', () => gemmOnBlas(lib, M, N, K, A, 0, K, 1, B, 0, N, 1, C, 0, false));
    await bench.run();
    const [o, b] = bench.tasks.map((t) => t.result.latency.p50 * 1000);
    console.log(
      `| ${M}×${N}×${K} | ${dtype} | ${o.toFixed(2)} | ${b.toFixed(2)} | ${(o / b).toFixed(2)}× | ${((2 * M * N * K) / (b * 1e3)).toFixed(1)} |`,
    );
  }
}
