// Forward + backward time of the fused losses on float32 inputs, one thread: `pnpm bench` after
// `pnpm build`. Each iteration runs the loss and its own backward (the gradient with respect to
// the input) inside an arena, as in a training step where the input is a layer's output; the
// leaf-gradient bookkeeping of `backward()` is left out. Reports tinybench's median.
import { onesLike, randint, randn, withArena } from '@loom/core';
import { Bench } from 'tinybench';
import { crossEntropy, mseLoss } from '../dist/index.js';

function forwardBackward(loss, input, target) {
  withArena(() => {
    const out = loss(input, target);
    out.gradFn.backward(onesLike(out));
  });
}

const classes = (shape) => randint(0, shape[1], [shape[0]], { dtype: 'int32' });
const cases = [
  ['crossEntropy [256,10]', crossEntropy, [256, 10], classes],
  ['crossEntropy [256,1000]', crossEntropy, [256, 1000], classes],
  ['mseLoss [256,784]', mseLoss, [256, 784], (shape) => randn(shape)],
];

const bench = new Bench({ time: 1000, warmup: true });
for (const [name, loss, shape, makeTarget] of cases) {
  const input = randn(shape, { requiresGrad: true });
  const target = makeTarget(shape);
  bench.add(`${name} forward+backward`, () => forwardBackward(loss, input, target));
}
await bench.run();

console.table(
  bench.tasks.map((task) => ({
    task: task.name,
    'median (µs)': Number((task.result.latency.p50 * 1000).toFixed(1)),
    samples: task.result.latency.samplesCount,
  })),
);
