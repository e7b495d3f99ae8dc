// Forward + backward time of the fused losses, float32, one thread. Run after `pnpm build`:
// `pnpm bench` (node bench/index.mjs). Reports the median of tinybench's samples.
import { randint, randn, withArena } from '@loom/core';
import { Bench } from 'tinybench';
import { crossEntropy, mseLoss } from '../dist/index.js';

/** A training-step-like iteration: loss forward and backward inside an arena, then the grad is dropped. */
function step(input, target, loss) {
  withArena(() => loss(input, target).backward());
  input.grad = null;
}

const cases = [
  ['crossEntropy [256,10]', [256, 10], (shape) => randint(0, shape[1], [shape[0]], { dtype: 'int32' }), crossEntropy],
  ['crossEntropy [256,1000]', [256, 1000], (shape) => randint(0, shape[1], [shape[0]], { dtype: 'int32' }), crossEntropy],
  ['mseLoss [256,784]', [256, 784], (shape) => randn(shape), mseLoss],
];

const bench = new Bench({ time: 500, warmup: true });
for (const [name, shape, makeTarget, loss] of cases) {
  const input = randn(shape, { requiresGrad: true });
  const target = makeTarget(shape);
  bench.add(`${name} forward+backward`, () => step(input, target, loss));
}
await bench.run();

const rows = bench.tasks.map((task) => {
  const r = task.result;
  return { task: task.name, 'median (µs)': (r.latency.p50 * 1000).toFixed(1), samples: r.latency.samplesCount ?? r.latency.samples?.length };
});
console.table(rows);
