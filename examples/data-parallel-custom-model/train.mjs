// Data-parallel training of a model defined in this project (./model.mjs) on worker threads.
// './model.mjs' resolves from this file, wherever node runs it from.
// The same seed gives the same parameters whatever the number of workers.
// Run from the repository root after `pnpm build`: node examples/data-parallel-custom-model/train.mjs
import { DataParallelTrainer, datasetFromArrays, trainValSplit, subset } from '@loom/parallel';

const SAMPLES = 1024;
const FEATURES = 8;
const CLASSES = 3;

// Three classes by which third of the circle the first two features point to; six noise features.
const features = new Float32Array(SAMPLES * FEATURES);
const targets = new Int32Array(SAMPLES);
for (let i = 0; i < SAMPLES; i++) {
  for (let f = 0; f < FEATURES; f++) features[i * FEATURES + f] = Math.sin(12.9898 * i + 78.233 * f) * 1.5;
  const angle = Math.atan2(features[i * FEATURES + 1], features[i * FEATURES]) + Math.PI;
  targets[i] = Math.min(CLASSES - 1, Math.floor((angle / (2 * Math.PI)) * CLASSES));
}
const dataset = datasetFromArrays({ features, featureShape: [FEATURES], targets });
const { train, val } = trainValSplit(dataset.length, 0.2, 0);

const trainer = new DataParallelTrainer({
  model: { module: './model.mjs', args: [FEATURES, 64, CLASSES] },
  loss: { name: 'CrossEntropyLoss' },
  optimizer: { name: 'Adam', options: { lr: 0.01 } },
  scheduler: { name: 'CosineAnnealingLR', options: { TMax: 8 } },
  workers: 2,
  batchSize: 64,
  microBatch: 16,
  seed: 42,
});

try {
  await trainer.fit(subset(dataset, train), {
    epochs: 8,
    validation: subset(dataset, val),
    onEpoch: ({ epoch, trainLoss, valLoss, valAccuracy, samplesPerSecond }) =>
      console.log(
        `epoch ${epoch}  train ${trainLoss.toFixed(4)}  val ${valLoss?.toFixed(4)}  ` +
          `accuracy ${((valAccuracy ?? 0) * 100).toFixed(1)}%  ${Math.round(samplesPerSecond)} samples/s`,
      ),
  });
  const result = await trainer.evaluate(subset(dataset, val));
  console.log(JSON.stringify(result));
} finally {
  await trainer.close();
}
