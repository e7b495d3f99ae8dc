// Trains a small MLP to tell apart two interleaved spirals, with plain SGD written out by hand.
// Run after building the package: `node packages/core/examples/train-mlp.mjs`.
import { Generator, Linear, ReLU, Sequential, clipGradNorm_, logSoftmax, manualSeed, noGrad, tensor, withArena } from '../dist/index.js';

const POINTS = 256;
const STEPS = 500;
const LR = 0.5;

/** Two spirals of POINTS/2 noisy points each, labelled 0 and 1 (one-hot targets). */
function spirals(generator) {
  const xs = [];
  const targets = [];
  for (let i = 0; i < POINTS; i++) {
    const label = i % 2;
    const t = (i >> 1) / (POINTS / 2); // 0 … 1 along the arm
    const angle = 2 * Math.PI * t + label * Math.PI;
    const noise = () => (generator.nextDouble() - 0.5) * 0.1;
    xs.push([t * Math.cos(angle) + noise(), t * Math.sin(angle) + noise()]);
    targets.push(label === 0 ? [1, 0] : [0, 1]);
  }
  return { x: tensor(xs), target: tensor(targets) };
}

manualSeed(0);
const { x, target } = spirals(new Generator(1));
const model = new Sequential(new Linear(2, 64), new ReLU(), new Linear(64, 64), new ReLU(), new Linear(64, 2));
console.log(`MLP with ${model.numParameters()} parameters, ${POINTS} points, ${STEPS} steps of SGD (lr ${LR})`);

for (let step = 1; step <= STEPS; step++) {
  // Every tensor made inside the arena is freed when the step ends; only numbers come out.
  const { loss, accuracy } = withArena(() => {
    model.zeroGrad(false);
    const logits = model.forward(x);
    const loss = logSoftmax(logits, 1).mul(target).sum().neg().div(POINTS);
    loss.backward();
    clipGradNorm_(model.parameters(), 5);
    noGrad(() => {
      for (const p of model.parameters()) {
        const w = p.data();
        const g = p.grad.data();
        for (let i = 0; i < w.length; i++) w[i] -= LR * g[i];
      }
    });
    const out = logits.data();
    const t = target.data();
    let correct = 0;
    for (let i = 0; i < POINTS; i++) if (out[2 * i + 1] > out[2 * i] === (t[2 * i + 1] === 1)) correct++;
    return { loss: loss.item(), accuracy: correct / POINTS };
  });
  if (step === 1 || step % 50 === 0) {
    console.log(`step ${String(step).padStart(4)}  loss ${loss.toFixed(4)}  accuracy ${(accuracy * 100).toFixed(1)}%`);
  }
}
