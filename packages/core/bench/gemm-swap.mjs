/**
 * Whether C = A·Bᵀ with few rows runs faster on the BLAS as the swapped product Cᵀ = B·Aᵀ followed
 * by a transposing copy (what src/kernels/blas/matmul.ts's `swapIsFaster` decides): microseconds
 * per product, one thread, for the forward X·Wᵀ of the workloads' Linear layers on a micro-batch
 * and a few shapes around them. "direct" is one cblas_sgemm(RowMajor, N, T) call; "swapped" is
 * cblas_sgemm(RowMajor, N, T) of B·Aᵀ into a buffer, then the copy; "kernel" is Loom's matmul
 * kernel, which picks one of them.
 *
 *   pnpm --filter @loom/core build
 *   env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE node packages/core/bench/gemm-swap.mjs
 */
import { Bench } from 'tinybench';
import { kernelInfo, randn, describeKernels, matmulKernel } from '../dist/index.js';
import { blasLibrary } from '../dist/kernels/blas/library.js';

const lib = blasLibrary();
if (!lib) {
  console.log(`no BLAS loaded (${kernelInfo().blasFallbackReason ?? `LOOM_BLAS=${kernelInfo().blasPreference}`}): nothing to compare`);
  process.exit(0);
}
const [ROW_MAJOR, N_, T_] = [101, 111, 112];
// [label, M (rows), K (inputs), N (outputs)]
const shapes = [
  ['W1 layer 1, 16 rows', 16, 784, 256],
  ['W1 layer 2, 16 rows', 16, 256, 128],
  ['W2 layer 1, 32 rows', 32, 784, 1024],
  ['W2 layer 2, 32 rows', 32, 1024, 1024],
  ['W3 fc1, 8 rows', 8, 256, 120],
  ['64 rows', 64, 784, 256],
];
const address = (array) => lib.baseAddress(array.buffer) + array.byteOffset;

console.log(`${describeKernels()}, OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE ?? '(unset)'}\n`);
console.log('| X·Wᵀ | M×K·K×N | direct µs | swapped µs | swapped / direct | kernel µs |');
console.log('|---|---|---:|---:|---:|---:|');
for (const [label, M, K, N] of shapes) {
  const x = randn([M, K]).data();
  const w = randn([N, K]).data();
  const c = randn([M, N]).data();
  const t = randn([N, M]).data();
  const [px, pw, pc, pt] = [x, w, c, t].map(address);
  const kernel = matmulKernel.select('float32');
  const bench = new Bench({ time: 300, warmupTime: 50 });
  bench.add('direct', () => lib.sgemm(ROW_MAJOR, N_, T_, M, N, K, 1, px, K, pw, K, 0, pc, N));
  bench.add('swapped', () => {
    lib.sgemm(ROW_MAJOR, N_, T_, N, M, K, 1, pw, K, px, K, 0, pt, M);
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) c[i * N + j] = t[j * M + i];
  });
  bench.add('kernel', () => kernel(M, N, K, x, 0, K, 1, w, 0, 1, K, c, 0, false));
  await bench.run();
  const [d, s, k] = bench.tasks.map((task) => task.result.latency.p50 * 1000);
  console.log(`| ${label} | ${M}×${K}·${K}×${N} | ${d.toFixed(1)} | ${s.toFixed(1)} | ${(s / d).toFixed(2)} | ${k.toFixed(1)} |`);
}
