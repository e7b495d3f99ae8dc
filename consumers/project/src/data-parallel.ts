// Data-parallel training with @loom/parallel, the model built in each worker from ./model.js.
import assert from 'node:assert/strict';
import { DataParallelTrainer, datasetFromArrays, type EpochInfo } from '@loom/parallel';

const SAMPLES = 128;
const FEATURES = 4;
// Class = which of the first two features is larger: learnable by a small MLP.
const features = new Float32Array(SAMPLES * FEATURES);
const targets = new Int32Array(SAMPLES);
for (let i = 0; i < SAMPLES; i++) {
  for (let f = 0; f < FEATURES; f++) features[i * FEATURES + f] = Math.sin(7.31 * i + 3.17 * f);
  targets[i] = features[i * FEATURES]! > features[i * FEATURES + 1]! ? 1 : 0;
}
const dataset = datasetFromArrays({ features, featureShape: [FEATURES], targets });

const trainer = new DataParallelTrainer({
  model: { module: new URL('./model.js', import.meta.url).href, args: [FEATURES, 16, 2] },
  loss: { name: 'CrossEntropyLoss' },
  optimizer: { name: 'Adam', options: { lr: 0.02 } },
  workers: 2,
  batchSize: 32,
  microBatch: 8,
  seed: 3,
});
const epochs: EpochInfo[] = [];
try {
  await trainer.fit(dataset, { epochs: 5, onEpoch: (info) => void epochs.push(info) });
  const { loss, accuracy } = await trainer.evaluate(dataset);
  const first = epochs[0]!.trainLoss;
  assert.equal(epochs.length, 5);
  assert.ok(loss < first, `loss did not fall: epoch 1 ${first}, after training ${loss}`);
  const model = await trainer.model();
  assert.equal(model.constructor.name, 'TinyNet');
  console.log(JSON.stringify({ ok: true, first, loss, accuracy }));
} finally {
  await trainer.close();
}
