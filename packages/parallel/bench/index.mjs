// Throughput of DataParallelTrainer on W1 (MLP 784-256-128-10, batch 256, Adam lr 1e-3, synthetic
// normal inputs) for 1..N workers, with the median step split into compute, reduce+update and
// synchronisation, for both dispatch modes. Usage: node bench/index.mjs [workers, e.g. 1,2] [steps]
// (MICRO=n sets the micro-batch, DETERMINISTIC=false one accumulated slot per worker, REPLAY=false
// runs every chunk's JS instead of replaying its kernels, DISPATCH=persistent or tasks one dispatch mode only).
import { availableParallelism } from 'node:os';
import { Generator, kernelInfo } from '@loom/core';
import { DataParallelTrainer, datasetFromArrays } from '../dist/index.js';

const workerCounts = (process.argv[2] ?? [1, 2, 4, 8, 16].filter((w) => w <= availableParallelism()).join(',')).split(',').map(Number);
const steps = Number(process.argv[3] ?? 40);
const batchSize = 256;
const N = batchSize * steps;
const D = 784;
const g = new Generator(1);
const features = new Float32Array(new SharedArrayBuffer(N * D * 4));
g.fillNormal(features);
const targets = new Int32Array(new SharedArrayBuffer(N * 4)).map((_, i) => (i * 7) % 10);
const data = datasetFromArrays({ features, featureShape: [D], targets, numClasses: 10 });
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

console.log(
  `kernels: ${kernelInfo().backend}; W1 MLP 784-256-128-10, batch ${batchSize}, micro-batch ${process.env.MICRO ?? 16}, Adam; ${steps} timed steps`,
);
console.log('| dispatch | workers | samples/s | speed-up | step ms | compute ms | reduce+update ms | sync ms | sync % |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const dispatch of (process.env.DISPATCH ?? 'persistent,tasks').split(',')) {
  let base = 0;
  for (const workers of workerCounts) {
    const trainer = new DataParallelTrainer({
      model: { builtin: 'mlp', sizes: [784, 256, 128, 10] },
      loss: { name: 'CrossEntropyLoss' },
      optimizer: { name: 'Adam', options: { lr: 1e-3 } },
      workers,
      batchSize,
      microBatch: Number(process.env.MICRO ?? 16),
      seed: 0,
      dispatch,
      deterministic: process.env.DETERMINISTIC !== 'false',
      replaySteps: process.env.REPLAY !== 'false',
    });
    await trainer.fit(data, { epochs: 1 }); // warm-up: threads, replicas, JIT
    const timings = [];
    await trainer.fit(data, { epochs: 1, onStep: (s) => timings.push(s.timings) });
    await trainer.close();
    const total = median(timings.map((t) => t.total));
    const rate = (batchSize / total) * 1000;
    base ||= rate;
    const cell = (key) => median(timings.map((t) => t[key])).toFixed(2);
    console.log(
      `| ${dispatch} | ${workers} | ${rate.toFixed(0)} | ${(rate / base).toFixed(2)} | ${total.toFixed(2)} | ${cell('compute')} | ${cell('reduceUpdate')} | ${cell('sync')} | ${((100 * median(timings.map((t) => t.sync))) / total).toFixed(1)} |`,
    );
  }
}
