// W2 (MLP 784-1024-1024-10, batch 512, micro-batch 64, Adam; synthetic normal inputs) across MPI
// ranks: `node bench/mpi-w2.mjs [workers] [steps]` for one process, `mpirun -n R node
// bench/mpi-w2.mjs [workers] [steps]` for R ranks of `workers` threads each. Rank 0 prints the
// medians of `steps` timed steps after a warm-up epoch: the step, its compute, reduce+update and
// the rest (synchronisation, the exchange between ranks included), and samples/s.
import { Generator, kernelInfo } from '@loom/core';
import { DataParallelTrainer, datasetFromArrays, finalizeMpi } from '../dist/index.js';

const workers = Number(process.argv[2] ?? 1);
const steps = Number(process.argv[3] ?? 20);
const batchSize = 512;
const N = batchSize * steps;
const D = 784;
const g = new Generator(1);
const features = new Float32Array(new SharedArrayBuffer(N * D * 4));
g.fillNormal(features);
const targets = new Int32Array(new SharedArrayBuffer(N * 4)).map((_, i) => (i * 7) % 10);
const data = datasetFromArrays({ features, featureShape: [D], targets, numClasses: 10 });
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

const trainer = new DataParallelTrainer({
  model: { builtin: 'mlp', sizes: [784, 1024, 1024, 10] },
  loss: { name: 'CrossEntropyLoss' },
  optimizer: { name: 'Adam', options: { lr: 1e-3 } },
  workers,
  batchSize,
  microBatch: 64,
  seed: 0,
});
const { rank, ranks } = await trainer.placement();
await trainer.fit(data, { epochs: 1 }); // warm-up: threads, replicas, JIT
const timings = [];
await trainer.fit(data, { epochs: 1, onStep: (s) => timings.push(s.timings) });
await trainer.close();
await finalizeMpi();
if (rank === 0) {
  const cell = (key) => median(timings.map((t) => t[key])).toFixed(1);
  const total = median(timings.map((t) => t.total));
  console.log(
    `| ${ranks} × ${workers} | ${((batchSize / total) * 1000).toFixed(0)} | ${total.toFixed(1)} | ${cell('compute')} | ${cell('reduceUpdate')} | ${cell('sync')} | ${kernelInfo().backend} |`,
  );
}
