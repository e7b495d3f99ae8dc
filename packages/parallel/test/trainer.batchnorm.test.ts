import { describe, expect, it } from 'vitest';
import { loadSafetensors, manualSeed, type Module, noGrad, saveSafetensors, type Tensor, withArena } from '@loom/core';
import { createLoss } from '@loom/losses';
import { DataParallelTrainer, gatherBatch, type TrainerOptions, type TrainerState } from '../dist/index.js';
import { trainByHand } from './fixtures/reference-loop.js';
import { stateHash, syntheticClasses } from './fixtures/synthetic.js';

const models = new URL('./fixtures/odd-models.mjs', import.meta.url).href;
const SEED = 13;
const BATCH = 48;
const MICRO = 16;
/** 160 rows in batches of 48: 3 + 3 + 3 + 1 chunks of 16 an epoch. */
const CHUNKS_PER_EPOCH = 10;
const data = syntheticClasses(160, 20);

function options(workers: number, extra: Partial<TrainerOptions> = {}): TrainerOptions {
  return {
    model: { module: models, export: 'createBatchNormModel' },
    loss: { name: 'CrossEntropyLoss' },
    optimizer: { name: 'Adam', options: { lr: 1e-2 } },
    workers,
    batchSize: BATCH,
    microBatch: MICRO,
    seed: SEED,
    ...extra,
  };
}

/** Every parameter and buffer of a model by name, as bytes. */
function stateBytes(model: Module): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [name, t] of Object.entries(model.stateDict())) {
    const d = (t as Tensor).contiguous().data();
    out.set(name, Buffer.from(d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength)));
  }
  return out;
}

/**
 * The reference (fixtures/reference-loop.ts) on the BatchNorm model in training mode: BatchNorm
 * normalises each chunk with the chunk's statistics and tracks them at once, chunk after chunk.
 */
async function plainLoop(epochs: number): Promise<Module> {
  const { createBatchNormModel } = (await import(models)) as { createBatchNormModel: () => Module };
  manualSeed(SEED);
  const model = createBatchNormModel();
  model.train();
  trainByHand(model, data, { epochs, seed: SEED, batch: BATCH, micro: MICRO });
  return model;
}

async function trainedState(o: TrainerOptions, epochs: number): Promise<{ hash: string; state: TrainerState; model: Map<string, Buffer> }> {
  const trainer = new DataParallelTrainer(o);
  try {
    await trainer.fit(data, { epochs });
    const state = await trainer.stateDict();
    return { hash: stateHash(state), state, model: stateBytes(await trainer.model()) };
  } finally {
    await trainer.close();
  }
}

describe('BatchNorm in the data-parallel trainer', () => {
  it('gives the bytes (parameters and running statistics) of one thread running the chunks one after another', async () => {
    const expected = stateBytes(await plainLoop(2));
    const { model, state } = await trainedState(options(2), 2);
    expect([...model.keys()]).toEqual([...expected.keys()]);
    for (const [name, bytes] of expected) expect(model.get(name)!.equals(bytes), name).toBe(true);
    // Every chunk counted; the running statistics moved off their initial 0 and 1.
    expect(Array.from(state.tensors['model.1.num_batches_tracked']!.data())).toEqual([2 * CHUNKS_PER_EPOCH]);
    expect(state.tensors['model.1.num_batches_tracked']!.dtype).toBe('int32');
    expect(Array.from(state.tensors['model.4.running_var']!.data()).every((v) => v !== 1)).toBe(true);
  });

  it('trains to identical parameters and buffers with 1, 2 and 3 workers, persistent or task dispatch', async () => {
    const runs: string[] = [];
    for (const workers of [1, 2, 3]) runs.push((await trainedState(options(workers), 2)).hash);
    runs.push((await trainedState(options(2, { dispatch: 'tasks' }), 2)).hash);
    expect(new Set(runs).size).toBe(1);
  });

  it('the built-in cnn-bn (BatchNorm2d and BatchNorm1d): identical with 1, 2 and 3 workers', async () => {
    const images = syntheticClasses(48, 64, [1, 8, 8]);
    const runs: string[] = [];
    for (const workers of [1, 2, 3]) {
      const trainer = new DataParallelTrainer({
        ...options(workers),
        model: { builtin: 'cnn-bn', inputShape: [1, 8, 8], numClasses: 4 },
        batchSize: 24,
        microBatch: 8,
      });
      try {
        await trainer.fit(images, { epochs: 1 });
        const { loss } = await trainer.evaluate(images);
        runs.push(`${stateHash(await trainer.stateDict())} ${loss}`);
      } finally {
        await trainer.close();
      }
    }
    expect(new Set(runs).size).toBe(1);
  });

  it('evaluates with the running statistics, as the main thread’s model in eval mode does', async () => {
    const trainer = new DataParallelTrainer(options(2));
    try {
      await trainer.fit(data, { epochs: 1 });
      const { loss } = await trainer.evaluate(data, { batchSize: 32 });
      const model = (await trainer.model()).eval();
      const criterion = createLoss('CrossEntropyLoss', { reduction: 'sum' });
      let sum = 0;
      for (let s = 0; s < data.length; s += 32) {
        const rows = Int32Array.from({ length: Math.min(32, data.length - s) }, (_, i) => s + i);
        sum += withArena(() =>
          noGrad(() => {
            const batch = gatherBatch(data, rows);
            return criterion.forward(model.forward(batch.features), batch.targets).item();
          }),
        );
      }
      expect(loss).toBe(sum / data.length);
      // In training mode (each batch's own statistics) the same model gives another loss.
      model.train();
      const trainMode = withArena(() =>
        noGrad(() => {
          const batch = gatherBatch(
            data,
            Int32Array.from({ length: data.length }, (_, i) => i),
          );
          return criterion.forward(model.forward(batch.features), batch.targets).item() / data.length;
        }),
      );
      expect(Math.abs(trainMode - loss)).toBeGreaterThan(1e-4);
    } finally {
      await trainer.close();
    }
  });

  it('resumes exactly: the running statistics and batch counts go through the checkpoint under PyTorch names', async () => {
    const o = options(2, { scheduler: { name: 'StepLR', options: { stepSize: 1, gamma: 0.5 } } });
    const straight = await trainedState(o, 3);
    const first = await trainedState(o, 2);
    for (const key of ['model.1.running_mean', 'model.1.running_var', 'model.1.num_batches_tracked', 'model.4.running_mean']) {
      expect(Object.keys(first.state.tensors)).toContain(key);
    }
    const { tensors } = loadSafetensors(saveSafetensors(first.state.tensors));
    const second = new DataParallelTrainer(o);
    try {
      await second.loadStateDict({ tensors, meta: JSON.parse(JSON.stringify(first.state.meta)) as Record<string, unknown> });
      await second.fit(data, { epochs: 1 });
      expect(stateHash(await second.stateDict())).toBe(straight.hash);
    } finally {
      await second.close();
    }
    // A state without the buffers is refused, naming the missing one.
    const { ['model.1.running_var']: _dropped, ...rest } = first.state.tensors;
    const third = new DataParallelTrainer(o);
    try {
      await expect(third.loadStateDict({ tensors: rest, meta: first.state.meta })).rejects.toThrow(/missing buffer 1\.running_var/);
    } finally {
      await third.close();
    }
  });

  it('the model keeps its trained buffers after close()', async () => {
    const trainer = new DataParallelTrainer(options(1));
    await trainer.fit(data, { epochs: 1 });
    const before = stateBytes(await trainer.model());
    await trainer.close();
    const after = stateBytes(await trainer.model());
    for (const [name, bytes] of before) expect(after.get(name)!.equals(bytes), name).toBe(true);
  });
});

describe('buffers the trainer cannot keep in step', () => {
  it('refuses a buffer of a module other than BatchNorm, naming it', async () => {
    const trainer = new DataParallelTrainer(options(1, { model: { module: models, export: 'createWithOwnBuffer' } }));
    try {
      await expect(trainer.fit(data, { epochs: 1 })).rejects.toThrow(
        /buffers the data-parallel trainer cannot keep in step .*\(scale of WithOwnBuffer\)/,
      );
    } finally {
      await trainer.close();
    }
  });

  it('refuses a BatchNorm that runs twice in one forward', async () => {
    const trainer = new DataParallelTrainer(options(1, { model: { module: models, export: 'createNormTwice' } }));
    try {
      await expect(trainer.fit(data, { epochs: 1 })).rejects.toThrow(/BatchNorm 'norm' ran twice in one micro-batch's forward/);
    } finally {
      await trainer.close();
    }
  });
});
