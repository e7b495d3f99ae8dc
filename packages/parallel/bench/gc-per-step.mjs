// Garbage collections per 1,000 training steps in each thread (run with node --trace-gc): W1's
// network (MLP 784-256-128-10) at a batch of 64 in 4 chunks, after a warm-up epoch.
// Usage: node --trace-gc bench/gc-per-step.mjs [workers] [steps]; prints the thread's isolate
// addresses, then compare `grep -c` per isolate in the trace between the two markers.
import { Generator } from '@loom/core';
import { DataParallelTrainer, datasetFromArrays } from '../dist/index.js';

const workers = Number(process.argv[2] ?? 2);
const steps = Number(process.argv[3] ?? 1000);
const batchSize = 64;
const rows = batchSize * 100;
const features = new Float32Array(new SharedArrayBuffer(rows * 784 * 4));
new Generator(1).fillNormal(features);
const targets = new Int32Array(new SharedArrayBuffer(rows * 4)).map((_, i) => (i * 7) % 10);
const data = datasetFromArrays({ features, featureShape: [784], targets, numClasses: 10 });
const trainer = new DataParallelTrainer({
  model: { builtin: 'mlp', sizes: [784, 256, 128, 10] },
  loss: { name: 'CrossEntropyLoss' },
  optimizer: { name: 'Adam', options: { lr: 1e-3 } },
  workers,
  batchSize,
  microBatch: 16,
  seed: 0,
});
await trainer.fit(data, { epochs: 2 });
console.log('=== timed steps start');
const t0 = performance.now();
await trainer.fit(data, { epochs: steps / 100 });
console.log(`=== timed steps end: ${steps} steps in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
await trainer.close();
