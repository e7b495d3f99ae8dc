// The fixed cost of a step: whole steps of a one-weight model with one sample per worker (as apps/bench syncSuite).
// Usage: node bench/sync-cost.mjs [workers] [steps] [persistent|tasks]
import { DataParallelTrainer, datasetFromArrays } from '../dist/index.js';
const [workers, steps, dispatch] = [Number(process.argv[2] ?? 1), Number(process.argv[3] ?? 500), process.argv[4] ?? 'persistent'];
const n = workers * steps;
const data = datasetFromArrays({
  features: Float32Array.from({ length: n }, (_, i) => i / n),
  featureDim: 1,
  targets: new Float32Array(n),
  targetShape: [1],
  targetKind: 'regression',
});
const t = new DataParallelTrainer({
  model: { builtin: 'mlp', sizes: [1, 1] },
  loss: { name: 'MSELoss' },
  optimizer: { name: 'SGD', options: { lr: 1e-3 } },
  workers,
  batchSize: workers,
  microBatch: 1,
  dispatch,
});
await t.fit(data, { epochs: 1 });
for (let r = 0; r < 3; r++) {
  const totals = [];
  const t0 = performance.now();
  await t.fit(data, { epochs: 1, onStep: (i) => totals.push(i.timings) });
  const wall = performance.now() - t0;
  totals.sort((a, b) => a.total - b.total);
  const med = (k) => [...totals.map((x) => x[k])].sort((a, b) => a - b)[totals.length >> 1];
  console.log(
    `${dispatch} ${workers}w: median step ${(med('total') * 1000).toFixed(1)} µs (compute ${(med('compute') * 1000).toFixed(1)}, update ${(med('reduceUpdate') * 1000).toFixed(1)}), p90 ${(totals[Math.floor(totals.length * 0.9)].total * 1000).toFixed(0)} µs, wall/step ${((wall / steps) * 1000).toFixed(0)} µs`,
  );
}
await t.close();
