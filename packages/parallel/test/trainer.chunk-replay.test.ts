import { describe, expect, it } from 'vitest';
import { type ChunkCounts, DataParallelTrainer, datasetFromArrays, type TrainerOptions } from '../dist/index.js';
import { stateHash, syntheticClasses } from './fixtures/synthetic.js';

const fixture = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).href;

/** The trainer every case starts from (an MLP 20-16-4, 1 worker, batches of 32 in chunks of 8), `options` overriding. */
function newTrainer(options: Partial<TrainerOptions>): DataParallelTrainer {
  return new DataParallelTrainer({
    model: { builtin: 'mlp', sizes: [20, 16, 4] },
    loss: { name: 'CrossEntropyLoss' },
    optimizer: { name: 'Adam', options: { lr: 0.01 } },
    workers: 1,
    batchSize: 32,
    microBatch: 8,
    seed: 3,
    ...options,
  });
}

/** The trained state's hash and the chunk counts of a 2-epoch fit. */
async function train(
  options: Partial<TrainerOptions>,
  rows = 100,
  featureShape?: number[],
): Promise<{ hash: string; chunks: ChunkCounts }> {
  const d = featureShape ? featureShape.reduce((a, b) => a * b, 1) : 20;
  const data = syntheticClasses(rows, d, featureShape ?? [d]);
  const trainer = newTrainer(options);
  try {
    const { chunks } = await trainer.fit(data, { epochs: 2 });
    return { hash: stateHash(await trainer.stateDict()), chunks };
  } finally {
    await trainer.close();
  }
}

/**
 * Chunk replay (src/worker/chunk-replay.ts) runs a chunk from its recorded kernel calls once they
 * passed the check. It must change nothing but speed: every run below is compared bit for bit with
 * one that runs every chunk's JS (`replaySteps: false`), and the counts say replay really ran.
 */
describe('DataParallelTrainer: chunk replay gives the bits of running every chunk', () => {
  // 100 rows in batches of 32 cut into chunks of 8: 4 chunks a step, and a last batch of 4 rows.
  const chunksPerFit = 2 * (3 * 4 + 1);

  it('for an MLP, at 1 and 2 workers, with a last short batch; most chunks are replayed', async () => {
    const reference = await train({ replaySteps: false });
    expect(reference.chunks).toEqual({ replayed: 0, normal: chunksPerFit });
    for (const workers of [1, 2]) {
      const replayed = await train({ workers });
      expect(replayed.hash).toBe(reference.hash);
      expect(replayed.chunks.replayed + replayed.chunks.normal).toBe(chunksPerFit);
      expect(replayed.chunks.replayed).toBeGreaterThan(chunksPerFit / 3);
    }
  });

  it('for a CNN (convolutions, max pooling, flatten) at 2 workers', async () => {
    const options = { model: { builtin: 'cnn' as const, inputShape: [1, 12, 12] as [number, number, number], numClasses: 4 }, workers: 2 };
    const reference = await train({ ...options, replaySteps: false }, 100, [1, 12, 12]);
    const replayed = await train(options, 100, [1, 12, 12]);
    expect(replayed.hash).toBe(reference.hash);
    expect(replayed.chunks.replayed).toBeGreaterThan(0);
  });

  it('with one accumulated slot per worker (deterministic: false)', async () => {
    const reference = await train({ deterministic: false, workers: 2, replaySteps: false });
    const replayed = await train({ deterministic: false, workers: 2 });
    expect(replayed.hash).toBe(reference.hash);
    expect(replayed.chunks.replayed).toBeGreaterThan(0);
  });

  it('for a model with a layer no chunk reaches: its gradient stays zero', async () => {
    const model = { module: fixture('odd-models.mjs'), export: 'createWithUnusedLayer' };
    const reference = await train({ model, replaySteps: false });
    const replayed = await train({ model, replaySteps: true });
    expect(replayed.hash).toBe(reference.hash);
    expect(replayed.chunks.replayed).toBeGreaterThan(0);
  });

  it('runs normally what cannot be replayed: a layer that writes in JS, BatchNorm and dropout', async () => {
    const doubled = { module: fixture('odd-models.mjs'), export: 'createDoubledInJs' };
    const js = await train({ model: doubled, replaySteps: true });
    expect(js.chunks).toEqual({ replayed: 0, normal: chunksPerFit });
    expect(js.hash).toBe((await train({ model: doubled, replaySteps: false })).hash);

    const options = {
      model: { builtin: 'cnn-bn' as const, inputShape: [1, 12, 12] as [number, number, number], numClasses: 4 },
      workers: 2,
    };
    const bn = await train(options, 100, [1, 12, 12]);
    expect(bn.chunks).toEqual({ replayed: 0, normal: chunksPerFit });
    expect(bn.hash).toBe((await train({ ...options, replaySteps: false }, 100, [1, 12, 12])).hash);
  });

  it("replays a model of yours only when asked: 'auto' trusts the built-in models' forward alone", async () => {
    // A forward with state of its own (this one counts its calls) would silently stop running under replay.
    const model = { module: fixture('odd-models.mjs'), export: 'createWithUnusedLayer' };
    expect((await train({ model })).chunks).toEqual({ replayed: 0, normal: chunksPerFit });
    expect((await train({ model, replaySteps: 'auto' })).chunks.replayed).toBe(0);
  });

  it('never replays over a target the loss would refuse: the loss names it, as without replay', async () => {
    // numClasses 6 for a model of 4 outputs; row 1 has class 5. The seed-0 shuffle puts row 1 in
    // chunk 0 of the third step of both epochs, which replays by then: a replay would skip the
    // loss's check of that target (and the kernel would skip the row) without a word.
    const base = syntheticClasses(100, 20);
    const targets = new Int32Array(new SharedArrayBuffer(100 * 4));
    targets.set(base.targets as Int32Array);
    targets[1] = 5;
    const data = datasetFromArrays({ features: base.features, featureShape: [20], targets, numClasses: 6 });
    for (const replaySteps of [true, false]) {
      const trainer = newTrainer({ optimizer: { name: 'SGD', options: { lr: 0.1 } }, seed: 0, replaySteps });
      try {
        await expect(trainer.fit(data, { epochs: 2 })).rejects.toThrow(/Target 5 is out of bounds/);
      } finally {
        await trainer.close();
      }
    }
  });

  it("refuses a replaySteps that is not 'auto', true or false", async () => {
    await expect(train({ replaySteps: 'yes' as unknown as boolean })).rejects.toThrow(/replaySteps must be 'auto', true or false, got yes/);
  });
});
