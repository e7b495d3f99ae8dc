import { describe, expect, it } from 'vitest';
import { memoryContext } from '@loom/core';
import { DataParallelTrainer } from '../dist/index.js';
import { syntheticClasses } from './fixtures/synthetic.js';

describe('close', () => {
  it('returns the shared memory it held, keeps the model usable, and refuses to train again', async () => {
    const data = syntheticClasses(64, 20);
    let afterFirst = 0;
    let closed: DataParallelTrainer | null = null;
    for (let i = 0; i < 4; i++) {
      const t = new DataParallelTrainer({
        model: { builtin: 'mlp', sizes: [20, 8, 4] },
        loss: { name: 'CrossEntropyLoss' },
        optimizer: { name: 'Adam' },
        workers: 2,
        batchSize: 16,
        seed: 1,
      });
      await t.fit(data, { epochs: 1 });
      const trained = (await t.model()).parameters().map((p) => Array.from(p.data()));
      await t.close();
      // Parameters of the model's own, holding the trained values.
      expect((await t.model()).parameters().map((p) => Array.from(p.data()))).toEqual(trained);
      closed = t;
      if (i === 0) afterFirst = memoryContext().allocator.bytesInUse;
    }
    // Worker regions (64 MiB each), parameters, slots and state are all given back; what stays are
    // a few KiB per trainer of small tensors until the garbage collector frees them (the closed
    // model's own parameters, the optimizer's stand-in parameter). The first trainer also left
    // the main thread's kernel scratch, hence the baseline after it.
    expect(memoryContext().allocator.bytesInUse - afterFirst).toBeLessThan(3 * 4096);
    await expect(closed!.fit(data, { epochs: 1 })).rejects.toThrow(/closed/);
  });
});
