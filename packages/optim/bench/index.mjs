// Nanoseconds per parameter of one `step()` of each optimizer on 1M float32 parameters, one
// thread, and Adam's effective bandwidth next to a measured copy bandwidth.
// Run: pnpm --filter @loom/optim build && node packages/optim/bench/index.mjs
import { persistent, RowSparseTensor, Tensor } from '@loom/core';
import { Bench } from 'tinybench';
import { createOptimizer } from '../dist/index.js';

const N = 1 << 20;
const ROWS = 1024;
const ADAM_BYTES_PER_PARAM = 28; // reads param, grad, m, v; writes param, m, v (7 × 4 bytes)

/** A persistent float32 tensor of `shape` filled with small pseudo-random values. */
function randomTensor(shape, seed) {
  return persistent(() => {
    const t = Tensor.empty(shape, 'float32');
    const data = t.data();
    let s = seed >>> 0;
    for (let i = 0; i < data.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      data[i] = (s / 2 ** 32 - 0.5) * 0.1;
    }
    return t;
  });
}

const cases = [
  ['SGD', { lr: 1e-3 }],
  ['SGD', { lr: 1e-3, momentum: 0.9, nesterov: true }],
  ['ASGD', {}],
  ['Adagrad', {}],
  ['Adadelta', {}],
  ['RMSprop', {}],
  ['RMSprop', { momentum: 0.9, centered: true }],
  ['Adam', {}],
  ['Adam', { amsgrad: true }],
  ['AdamW', {}],
  ['Adamax', {}],
  ['NAdam', {}],
  ['RAdam', {}],
  ['Rprop', {}],
  ['SparseAdam', {}],
  ['LBFGS', { maxIter: 1, historySize: 10 }],
];

const bench = new Bench({ time: 1000, warmupTime: 200 });
for (const [name, options] of cases) {
  const param = randomTensor([ROWS, N / ROWS], 1);
  param.requiresGrad = true;
  if (name === 'SparseAdam') {
    // Every row present once: the same work as a dense step, through the row-sparse path.
    const values = randomTensor([ROWS, N / ROWS], 2);
    param.grad = new RowSparseTensor(
      Int32Array.from({ length: ROWS }, (_, i) => i),
      values,
      param.shape,
    );
  } else {
    param.grad = randomTensor(param.shape, 2);
  }
  const optimizer = createOptimizer(name, [param], options);
  // LBFGS needs a closure; the gradient stays fixed so only the optimizer's own work is timed.
  const closure = () => 0;
  const label = `${name} ${JSON.stringify(options)}`;
  bench.add(label, () => {
    optimizer.step(closure);
  });
}

const src = randomTensor([N], 3).data();
const dst = new Float32Array(N);
bench.add('copy 1M float32 (Float32Array.prototype.set)', () => dst.set(src));
const bigSrc = new Float32Array(16 * N).fill(1);
const bigDst = new Float32Array(16 * N);
bench.add('copy 16M float32 (Float32Array.prototype.set)', () => bigDst.set(bigSrc));

await bench.run();

const rows = [];
let adamGBps = 0;
let copyGBps = 0;
let bigCopyGBps = 0;
for (const task of bench.tasks) {
  const ms = task.result.latency.p50;
  const elements = task.name.startsWith('copy 16M') ? 16 * N : N;
  const nsPerParam = (ms * 1e6) / elements;
  rows.push({ task: task.name, 'ms/step (median)': ms.toFixed(3), 'ns/param': nsPerParam.toFixed(2) });
  if (task.name === 'Adam {}') adamGBps = (ADAM_BYTES_PER_PARAM * N) / (ms * 1e6);
  if (task.name.startsWith('copy 1M')) copyGBps = (8 * N) / (ms * 1e6);
  if (task.name.startsWith('copy 16M')) bigCopyGBps = (8 * 16 * N) / (ms * 1e6);
}
console.table(rows);
console.log(`Adam effective bandwidth: ${adamGBps.toFixed(1)} GB/s (${ADAM_BYTES_PER_PARAM} bytes/param)`);
console.log(`copy bandwidth (read + write): ${copyGBps.toFixed(1)} GB/s at 4 MB, ${bigCopyGBps.toFixed(1)} GB/s at 64 MB`);
