/**
 * @loom/core benchmarks, one thread: float32 matmul GFLOPS (A·B, A·Bᵀ, Aᵀ·B) and MLP training
 * throughput (samples/s), the kernels of this process next to the plain TypeScript kernels in
 * the same run (a child process with LOOM_KERNELS=js runs the training steps).
 *
 *   pnpm --filter @loom/core build && node packages/core/bench/index.mjs [--quick]
 *
 * The training step is forward, cross-entropy (log-softmax + gather), backward and Adam on every
 * parameter through core's `adamKernel` (the update loop @loom/optim's Adam runs; core cannot
 * depend on @loom/optim).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import {
  Linear,
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

async function matmulRows() {
  const rows = [];
  const wasm = matmulKernel.select('float32');
  for (const [M, K, N] of [[256, 784, 256], [512, 1024, 1024]]) {
    for (const variant of ['A·B', 'A·Bᵀ', 'Aᵀ·B']) {
      const name = `matmul ${M}×${K}·${K}×${N} ${variant}`;
      const ms = await medians([
        ['this', matmulCall(wasm, M, N, K, variant)],
        ['js', matmulCall(matmulKernel.js, M, N, K, variant)],
      ]);
      const gflops = (t) => (2 * M * N * K) / (t * 1e6);
      rows.push({ name, unit: 'GFLOPS', value: gflops(ms.this), js: gflops(ms.js) });
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
  const options = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupledWeightDecay: false };
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

if (childMode) {
  process.stdout.write(JSON.stringify(await trainingSamplesPerSecond()));
} else {
  const info = kernelInfo();
  const rows = await matmulRows();
  const mine = await trainingSamplesPerSecond();
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', ...(quick ? ['--quick'] : [])], {
    env: { ...process.env, LOOM_KERNELS: 'js' },
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`the LOOM_KERNELS=js run failed: ${child.stderr}`);
  const js = JSON.parse(child.stdout);
  for (const m of mlps) rows.push({ name: m.name, unit: 'samples/s', value: mine[m.name], js: js[m.name] });

  const fmt = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  console.log(`kernels: ${info.backend} (LOOM_KERNELS=${info.preference}), Node ${process.version}, one thread\n`);
  console.log(`| benchmark | unit | ${info.backend} | js | speed-up |`);
  console.log('|---|---|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.name} | ${r.unit} | ${fmt(r.value)} | ${fmt(r.js)} | ${(r.value / r.js).toFixed(1)}× |`);
}
