// Bytes of JS garbage per chunk in one thread: W1's chunk work (MLP 784-256-128-10, 16 rows,
// forward + CrossEntropyLoss + backward inside withArena, gradients written into fixed buffers),
// the way a worker runs a chunk (src/worker/chunks.ts), without the threads.
// Usage: node bench/chunk-garbage.mjs [chunks]. The heap's growth is summed between chunks
// (collections shrink it and are not counted as growth): allocations, not what survives.
import { PerformanceObserver } from 'node:perf_hooks';
import { Generator, mul, Tensor, withArena } from '@loom/core';
import { CrossEntropyLoss } from '@loom/losses';
import { createMlp } from '../dist/models/index.js';
import { datasetFromArrays, gatherBatch } from '../dist/index.js';

const chunks = Number(process.argv[2] ?? 2000);
if (!(Number.isInteger(chunks) && chunks > 0)) throw new RangeError(`chunks must be a positive integer, got ${process.argv[2]}`);
const rows = 1024;
const microBatch = 16;
const features = new Float32Array(rows * 784);
new Generator(1).fillNormal(features);
const targets = new Int32Array(rows).map((_, i) => (i * 7) % 10);
const data = datasetFromArrays({ features, featureShape: [784], targets, numClasses: 10 });
const model = createMlp([784, 256, 128, 10]);
const params = model.parameters();
const grads = params.map((p) => Tensor.empty(p.shape));
const criterion = new CrossEntropyLoss({ reduction: 'sum' });
const order = new Int32Array(rows).map((_, i) => (i * 37) % rows);
model.train();

function chunk(c) {
  for (let i = 0; i < params.length; i++) {
    params[i].grad = grads[i];
    params[i].overwriteGrad = true;
  }
  const start = (c * microBatch) % rows;
  const loss = withArena(() => {
    const b = gatherBatch(data, order.subarray(start, start + microBatch));
    const value = criterion.forward(model.forward(b.features), b.targets);
    mul(value, 1 / 64).backward();
    return value.item();
  });
  for (const p of params) {
    p.grad = null;
    p.overwriteGrad = false;
  }
  return loss;
}

for (let c = 0; c < 2000; c++) chunk(c);
// What reading the heap's size itself allocates, per reading.
let probe = 0;
let last = process.memoryUsage().heapUsed;
for (let i = 0; i < 1000; i++) {
  const now = process.memoryUsage().heapUsed;
  if (now > last) probe += now - last;
  last = now;
}
let gcs = 0;
const observer = new PerformanceObserver((list) => (gcs += list.getEntries().length));
observer.observe({ entryTypes: ['gc'] });
const t0 = performance.now();
let grown = 0;
last = process.memoryUsage().heapUsed;
for (let c = 0; c < chunks; c++) {
  chunk(c);
  const now = process.memoryUsage().heapUsed;
  if (now > last) grown += now - last;
  last = now;
}
const ms = performance.now() - t0;
await new Promise((resolve) => setTimeout(resolve, 10));
observer.disconnect();
const perChunk = grown / chunks - probe / 1000;
console.log(`${chunks} chunks in ${ms.toFixed(0)} ms: ${(perChunk / 1000).toFixed(1)} KB of garbage per chunk, ${gcs} collections`);
