import { describe, expect, it } from 'vitest';
import { buildModel } from '../src/models/build.js';

describe('the trainer refuses models with buffers', () => {
  it('names the buffers and what to do instead of training BatchNorm replicas apart', async () => {
    const module = new URL('./fixtures/odd-models.mjs', import.meta.url).href;
    await expect(buildModel({ module, export: 'createBatchNormModel' })).rejects.toThrow(
      /createBatchNormModel\(\) returned a model with buffers \(1\.running_mean, 1\.running_var, 1\.num_batches_tracked\).*Use GroupNorm or LayerNorm/,
    );
    await expect(buildModel({ module, export: 'createWithUnusedLayer' })).resolves.toBeDefined();
  });
});
