// A single-thread training loop written with @loom/core, @loom/losses and @loom/optim.
import assert from 'node:assert/strict';
import { Generator, Linear, ReLU, Sequential, manualSeed, tensor, withArena } from '@loom/core';
import { CrossEntropyLoss } from '@loom/losses';
import { Adam } from '@loom/optim';

manualSeed(0);
const generator = new Generator(1);
const SAMPLES = 64;
// Two Gaussian blobs at (-1, -1) and (1, 1): separable, so the loss must fall.
const points: number[][] = [];
const labels = new Int32Array(SAMPLES);
for (let i = 0; i < SAMPLES; i++) {
  const label = i % 2;
  const centre = label === 0 ? -1 : 1;
  points.push([centre + (generator.nextDouble() - 0.5), centre + (generator.nextDouble() - 0.5)]);
  labels[i] = label;
}
const x = tensor(points);
const y = tensor(labels);

const model = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 2));
const criterion = new CrossEntropyLoss();
const optimizer = new Adam(model.parameters(), { lr: 0.05 });

const losses: number[] = [];
for (let step = 0; step < 50; step++) {
  losses.push(
    withArena(() => {
      optimizer.zeroGrad();
      const loss = criterion.forward(model.forward(x), y);
      loss.backward();
      optimizer.step();
      return loss.item();
    }),
  );
}
const first = losses[0]!;
const last = losses[losses.length - 1]!;
assert.ok(last < first / 4, `loss did not fall: ${first} → ${last}`);
console.log(JSON.stringify({ ok: true, first, last }));
