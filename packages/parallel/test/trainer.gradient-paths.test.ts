import { describe, expect, it } from 'vitest';
import { Generator } from '@loom/core';
import { DataParallelTrainer, datasetFromArrays, type TrainerOptions } from '../dist/index.js';
import { stateHash, syntheticClasses } from './fixtures/synthetic.js';

const models = new URL('./fixtures/odd-models.mjs', import.meta.url).href;

function trainer(model: TrainerOptions['model'], workers: number): DataParallelTrainer {
  return new DataParallelTrainer({
    model,
    loss: { name: 'CrossEntropyLoss' },
    optimizer: { name: 'SGD', options: { lr: 0.5 } },
    workers,
    batchSize: 16,
    microBatch: 4,
    seed: 2,
  });
}

describe('gradient paths into the slots', () => {
  it('a parameter no chunk reaches gets a zero gradient (plain SGD leaves it as initialised)', async () => {
    const t = trainer({ module: models, export: 'createWithUnusedLayer' }, 2);
    const before = (await t.model()).namedParameters().map(([n, p]) => [n, Array.from(p.data())] as const);
    await t.fit(syntheticClasses(64, 20), { epochs: 1 });
    const after = new Map((await t.model()).namedParameters().map(([n, p]) => [n, Array.from(p.data())]));
    await t.close();
    for (const [name, values] of before) {
      if (name.startsWith('unused.')) expect(after.get(name)).toEqual(values);
      else expect(after.get(name)).not.toEqual(values);
    }
  });

  it('row-sparse embedding gradients are summed like dense ones, the same at any worker count', async () => {
    const n = 64;
    const g = new Generator(3);
    const features = new Float32Array(new SharedArrayBuffer(n * 2 * 4));
    const targets = new Int32Array(new SharedArrayBuffer(n * 4));
    for (let i = 0; i < n; i++) {
      features[2 * i] = g.nextBelow(10);
      targets[i] = features[2 * i]! % 4;
    }
    const data = datasetFromArrays({ features, featureShape: [2], targets, numClasses: 4 });
    const hashes: string[] = [];
    const losses: number[] = [];
    for (const workers of [1, 2, 3]) {
      const t = trainer({ module: models, export: 'createSparseEmbeddingModel' }, workers);
      await t.fit(data, { epochs: 3 });
      losses.push((await t.evaluate(data)).loss);
      hashes.push(stateHash(await t.stateDict()));
      await t.close();
    }
    expect(new Set(hashes).size).toBe(1);
    expect(losses[0]).toBeLessThan(Math.log(4) * 0.8); // the token → class map is learnable
  });

  it("an optimizer that refuses sparse gradients is refused for a model with a sparse embedding, with PyTorch's words and the parameter", async () => {
    const features = new Float32Array(new SharedArrayBuffer(16 * 2 * 4));
    const targets = new Int32Array(new SharedArrayBuffer(16 * 4));
    const data = datasetFromArrays({ features, featureShape: [2], targets, numClasses: 4 });
    const t = new DataParallelTrainer({
      model: { module: models, export: 'createSparseEmbeddingModel' },
      loss: { name: 'CrossEntropyLoss' },
      optimizer: { name: 'Adam', options: { lr: 0.01 } },
      workers: 1,
      batchSize: 8,
      seed: 1,
    });
    await expect(t.fit(data, { epochs: 1 })).rejects.toThrowError(
      /^Adam does not support sparse gradients, please consider SparseAdam instead \(sparse gradients of embed\.weight/,
    );
    await t.close();
  });
});
