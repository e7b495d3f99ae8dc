// A custom training loop: @loom/core for the model and autograd, @loom/losses for the loss,
// @loom/optim for the optimizer and the learning-rate schedule. No worker threads.
// Run from the repository root after `pnpm build`: node examples/custom-training-loop/train.mjs
import { Generator, Linear, ReLU, Sequential, manualSeed, noGrad, tensor, withArena } from '@loom/core';
import { MSELoss } from '@loom/losses';
import { AdamW, StepLR } from '@loom/optim';

const SAMPLES = 256;
const EPOCHS = 60;

// Fit y = sin(3x) on [-1, 1] from noisy samples.
manualSeed(0);
const generator = new Generator(1);
const xs = [];
const ys = [];
for (let i = 0; i < SAMPLES; i++) {
  const x = 2 * generator.nextDouble() - 1;
  xs.push([x]);
  ys.push([Math.sin(3 * x) + 0.05 * (generator.nextDouble() - 0.5)]);
}
const x = tensor(xs);
const y = tensor(ys);

const model = new Sequential(new Linear(1, 32), new ReLU(), new Linear(32, 32), new ReLU(), new Linear(32, 1));
const criterion = new MSELoss();
const optimizer = new AdamW(model.parameters(), { lr: 0.02, weightDecay: 1e-4 });
const scheduler = new StepLR(optimizer, { stepSize: 20, gamma: 0.5 });

let loss = Number.NaN;
for (let epoch = 1; epoch <= EPOCHS; epoch++) {
  // Every tensor made inside the arena is freed when the step ends; only the number comes out.
  loss = withArena(() => {
    optimizer.zeroGrad();
    const l = criterion.forward(model.forward(x), y);
    l.backward();
    optimizer.step();
    return l.item();
  });
  scheduler.step();
  if (epoch === 1 || epoch % 10 === 0)
    console.log(`epoch ${String(epoch).padStart(2)}  mse ${loss.toFixed(5)}  lr ${scheduler.getLastLr()[0]}`);
}

const prediction = noGrad(() => withArena(() => model.forward(tensor([[0.5]])).item()));
console.log(`f(0.5) = ${prediction.toFixed(3)} (sin(1.5) = ${Math.sin(1.5).toFixed(3)})`);
console.log(JSON.stringify({ finalLoss: loss, prediction }));
