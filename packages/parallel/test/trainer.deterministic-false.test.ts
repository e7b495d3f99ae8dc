import { describe, expect, it } from 'vitest';
import { DataParallelTrainer } from '../dist/index.js';
import { stateHash, syntheticClasses } from './fixtures/synthetic.js';

const data = syntheticClasses(128, 20);

async function train(workers: number, deterministic: boolean): Promise<{ hash: string; params: Float32Array[] }> {
  const t = new DataParallelTrainer({
    model: { builtin: 'mlp', sizes: [20, 16, 4] },
    loss: { name: 'CrossEntropyLoss' },
    optimizer: { name: 'SGD', options: { lr: 0.1, momentum: 0.9 } },
    workers,
    batchSize: 32,
    microBatch: 4,
    seed: 4,
    deterministic,
  });
  try {
    await t.fit(data, { epochs: 2 });
    const params = (await t.model()).parameters().map((p) => Float32Array.from(p.data() as Float32Array));
    return { hash: stateHash(await t.stateDict()), params };
  } finally {
    await t.close();
  }
}

describe('deterministic: false (one accumulated slot per worker)', () => {
  it('is reproducible for a given worker count and agrees with the deterministic run to rounding', async () => {
    const exact = await train(2, true);
    const a = await train(2, false);
    const b = await train(2, false);
    const single = await train(1, false);
    expect(a.hash).toBe(b.hash);
    for (const run of [a, single]) {
      run.params.forEach((p, i) => {
        const q = exact.params[i]!;
        for (let e = 0; e < p.length; e++) expect(Math.abs(p[e]! - q[e]!)).toBeLessThan(1e-4 * (1 + Math.abs(q[e]!)));
      });
    }
  });
});
