/**
 * @loom/core benchmarks, one thread: float32 matmul GFLOPS (A·B, A·Bᵀ, Aᵀ·B) and MLP training
 * throughput (samples/s) on each matmul path in the same run: the native BLAS where one loads,
 * the WebAssembly kernel, the plain TypeScript kernels (training steps on the other paths run in
 * child processes with LOOM_BLAS=off and LOOM_KERNELS=js).
 *
 *   pnpm --filter @loom/core build
 *   env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE node packages/core/bench/index.mjs [--quick]
 *
 * (OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, when the machine sets them, slow OpenBLAS down a lot;
 * Loom never changes them, so a benchmark unsets them in its own command, and prints the core
 * type that ran.)
 *
 * The training step is forward, cross-entropy (log-softmax + gather), backward and Adam on every
 * parameter through core's `adamKernel` (the update loop @loom/optim's Adam runs; core cannot
 * depend on @loom/optim).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { matmulWasm } from '../dist/kernels/wasm/matmul.js';
import {
  Linear,
  describeKernels,
  ReLU,
  Sequential,
  Tensor,
  adamKernel,
  gather,
  kernelInfo,
  logSoftmax,
  manualSeed,
  matmulKernel,
  mean,
  neg,
  randint,
  randn,
  unsqueeze,
  withArena,
  zerosLike,
} from '../dist/index.js';

const quick = process.argv.includes('--quick');
const childMode = process.argv.includes('--child');
const time = quick ? 200 : 1000;

/** Median milliseconds per call of each function, measured by tinybench. */
async function medians(tasks) {
  const bench = new Bench({ time, iterations: 3, warmupIterations: 1, warmupTime: 100 });
  for (const [name, fn] of tasks) bench.add(name, fn);
  await bench.run();
  return Object.fromEntries(bench.tasks.map((t) => [t.name, t.result.latency.p50]));
}

function filled(shape) {
  return randn(shape, { dtype: 'float32' });
}

/** The matmul kernel call for C[M,N] = A·B with A, B stored as `variant` says. */
function matmulCall(kernel, M, N, K, variant) {
  const a = variant === 'Aᵀ·B' ? filled([K, M]) : filled([M, K]);
  const b = variant === 'A·Bᵀ' ? filled([N, K]) : filled([K, N]);
  const c = Tensor.empty([M, N], 'float32');
  const [aRs, aCs] = variant === 'Aᵀ·B' ? [1, M] : [K, 1];
  const [bRs, bCs] = variant === 'A·Bᵀ' ? [1, K] : [N, 1];
  const A = a.storage.array();
  const B = b.storage.array();
  const C = c.storage.array();
  return () => kernel(M, N, K, A, 0, aRs, aCs, B, 0, bRs, bCs, C, 0, false);
}

/** Each path's float32 matmul kernel: the BLAS one only where a BLAS loaded. */
function matmulPaths(info) {
  const paths = { wasm: info.backend === 'js' ? null : matmulWasm, js: matmulKernel.js };
  return info.blas ? { blas: matmulKernel.select('float32'), ...paths } : paths;
}

async function matmulRows(info) {
  const rows = [];
  for (const [M, K, N] of [
    [256, 784, 256],
    [512, 1024, 1024],
  ]) {
    for (const variant of ['A·B', 'A·Bᵀ', 'Aᵀ·B']) {
      const name = `matmul ${M}×${K}·${K}×${N} ${variant}`;
      const paths = Object.entries(matmulPaths(info)).filter(([, fn]) => fn !== null);
      const ms = await medians(paths.map(([path, fn]) => [path, matmulCall(fn, M, N, K, variant)]));
      const values = Object.fromEntries(paths.map(([path]) => [path, (2 * M * N * K) / (ms[path] * 1e6)]));
      rows.push({ name, unit: 'GFLOPS', values });
    }
  }
  return rows;
}

/** A step of an MLP with ReLUs (sizes = [in, hidden…, classes]), as a function to time. */
function trainingStep(sizes, batch) {
  manualSeed(0);
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new Linear(sizes[i], sizes[i + 1]));
    if (i + 2 < sizes.length) layers.push(new ReLU());
  }
  const model = new Sequential(...layers);
  const x = filled([batch, sizes[0]]);
  const y = unsqueeze(randint(0, sizes[sizes.length - 1], [batch]), 1);
  const params = model.parameters();
  const state = params.map((p) => [zerosLike(p).data(), zerosLike(p).data()]);
  const options = {
    lr: 1e-3,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay: 0,
    amsgrad: false,
    maximize: false,
    decoupledWeightDecay: false,
  };
  const adam = adamKernel.select('float32');
  let step = 0;
  return () =>
    withArena(() => {
      model.zeroGrad();
      const loss = neg(mean(gather(logSoftmax(model.forward(x), 1), 1, y)));
      loss.backward();
      step++;
      params.forEach((p, i) => adam(p.data(), p.grad.data(), state[i][0], state[i][1], null, step, options));
    });
}

const mlps = [
  { name: 'MLP 784-256-128-10, batch 256, Adam step', sizes: [784, 256, 128, 10], batch: 256 },
  { name: 'MLP 784-1024-1024-10, batch 512, Adam step', sizes: [784, 1024, 1024, 10], batch: 512 },
];

async function trainingSamplesPerSecond() {
  const ms = await medians(mlps.map((m) => [m.name, trainingStep(m.sizes, m.batch)]));
  return Object.fromEntries(mlps.map((m) => [m.name, (m.batch * 1000) / ms[m.name]]));
}

/** Training samples/s of a child process run under `env` (another matmul path). */
function childSamplesPerSecond(env) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', ...(quick ? ['--quick'] : [])], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`the ${JSON.stringify(env)} run failed: ${child.stderr}`);
  return JSON.parse(child.stdout);
}

if (childMode) {
  process.stdout.write(JSON.stringify(await trainingSamplesPerSecond()));
} else {
  const info = kernelInfo();
  const rows = await matmulRows(info);
  const mine = await trainingSamplesPerSecond();
  const training = info.blas
    ? { blas: mine, wasm: childSamplesPerSecond({ LOOM_BLAS: 'off' }) }
    : { [info.backend === 'js' ? 'js' : 'wasm']: mine };
  training.js ??= childSamplesPerSecond({ LOOM_KERNELS: 'js' });
  for (const m of mlps)
    rows.push({ name: m.name, unit: 'samples/s', values: Object.fromEntries(Object.entries(training).map(([p, v]) => [p, v[m.name]])) });

  const columns = Object.keys(rows[0].values);
  const fmt = (v) => (v === undefined ? '–' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const coreType = process.env.OPENBLAS_CORETYPE ? `OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE}` : 'OPENBLAS_CORETYPE unset';
  console.log(
    `kernels: ${describeKernels(info)} (LOOM_KERNELS=${info.preference}, LOOM_BLAS=${info.blasPreference}, ${coreType}), Node ${process.version}, one thread\n`,
  );
  console.log(`| benchmark | unit | ${columns.join(' | ')} |${info.blas ? ' BLAS / wasm |' : ''}`);
  console.log(`|---|---|${columns.map(() => '---:').join('|')}|${info.blas ? '---:|' : ''}`);
  for (const r of rows) {
    const ratio = info.blas ? ` ${(r.values.blas / r.values.wasm).toFixed(1)}× |` : '';
    console.log(`| ${r.name} | ${r.unit} | ${columns.map((c) => fmt(r.values[c])).join(' | ')} |${ratio}`);
  }
}
