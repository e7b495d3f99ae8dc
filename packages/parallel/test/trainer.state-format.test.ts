import { fileURLToPath } from 'node:url';
import { loadSafetensorsFile, tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import { DataParallelTrainer, type TrainerOptions, type TrainerState } from '../dist/index.js';
import { stateHash, syntheticClasses } from './fixtures/synthetic.js';

const data = syntheticClasses(96, 20);
// The options the v1 fixture was trained with (2 epochs), by the trainer as it was before the
// per-parameter format: its optimizer buffers are flat vectors padded to 16 floats per parameter.
const options: TrainerOptions = {
  model: { builtin: 'mlp', sizes: [20, 12, 4] },
  loss: { name: 'CrossEntropyLoss' },
  optimizer: { name: 'Adam', options: { lr: 5e-3, amsgrad: true } },
  scheduler: { name: 'StepLR', options: { stepSize: 1, gamma: 0.5 } },
  workers: 2,
  batchSize: 32,
  microBatch: 8,
  seed: 5,
};
const V1_FIXTURE = fileURLToPath(new URL('./fixtures/trainer-v1.safetensors', import.meta.url));

async function readState(path: string): Promise<TrainerState> {
  const { tensors, metadata } = await loadSafetensorsFile(path);
  return { tensors, meta: JSON.parse(metadata['loom.trainer']!) as Record<string, unknown> };
}

async function trained(epochs: number, extra: Partial<TrainerOptions> = {}): Promise<TrainerState> {
  const t = new DataParallelTrainer({ ...options, ...extra });
  await t.fit(data, { epochs });
  const state = await t.stateDict();
  await t.close();
  return state;
}

describe('trainer state format', () => {
  it('stores each optimizer buffer per parameter under PyTorch names, with the parameter shape', async () => {
    const state = await trained(1);
    const shapes = Object.fromEntries(Object.entries(state.tensors).map(([k, t]) => [k, t.shape]));
    expect(shapes).toEqual({
      'model.0.weight': [12, 20],
      'model.0.bias': [12],
      'model.2.weight': [4, 12],
      'model.2.bias': [4],
      ...Object.fromEntries(
        ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'].flatMap((b) => [
          [`optimizer.0.weight.${b}`, [12, 20]],
          [`optimizer.0.bias.${b}`, [12]],
          [`optimizer.2.weight.${b}`, [4, 12]],
          [`optimizer.2.bias.${b}`, [4]],
        ]),
      ),
    });
    expect(state.meta).toMatchObject({ format: 'loom-trainer-v2', seed: 5, batchSize: 32, epoch: 1, step: 3 });
  });

  it('reads the v1 format (flat padded buffers): 2 epochs from the v1 file + 1 equals 3 straight', async () => {
    const expected = stateHash(await trained(3));
    const t = new DataParallelTrainer(options);
    await t.loadStateDict(await readState(V1_FIXTURE));
    await t.fit(data, { epochs: 1 });
    expect(stateHash(await t.stateDict())).toBe(expected);
    await t.close();
  });

  it('refuses a weight of the right size but the wrong shape (transposed), naming it', async () => {
    const state = await trained(1);
    const w = state.tensors['model.0.weight']!;
    state.tensors['model.0.weight'] = tensor(w.contiguous().data() as Float32Array, { shape: [20, 12] });
    const t = new DataParallelTrainer(options);
    await expect(t.loadStateDict(state)).rejects.toThrow("loadStateDict: 0.weight has shape [20,12] in the state, the model's is [12,20]");
    await t.close();
  });

  it('refuses a state of another seed or batch size, and one with tensors the model lacks', async () => {
    const state = await trained(1);
    const otherSeed = new DataParallelTrainer({ ...options, seed: 6 });
    await expect(otherSeed.loadStateDict(state)).rejects.toThrow('the state was saved with seed 5, this trainer has seed 6');
    await otherSeed.close();
    const otherBatch = new DataParallelTrainer({ ...options, batchSize: 16 });
    await expect(otherBatch.loadStateDict(state)).rejects.toThrow('saved with batchSize 32, this trainer has batchSize 16');
    await otherBatch.close();
    const extra = { ...state, tensors: { ...state.tensors, 'model.4.weight': tensor(new Float32Array(4), { shape: [2, 2] }) } };
    const t = new DataParallelTrainer(options);
    await expect(t.loadStateDict(extra)).rejects.toThrow(/holds model\.4\.weight, which this model and optimizer do not have/);
    await t.close();
  });
});
