import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSafetensorsFile } from '@loom/core';
import { describe, expect, inject, it } from 'vitest';
import { eventsOf, freshDir, runLoom } from './helpers.js';

const sessionDir = inject('sessionDir');

describe('loom train --model cnn-bn', () => {
  it('trains the BatchNorm CNN on 2 workers, checkpoints its running statistics under PyTorch names, and evaluates with them', async () => {
    const dir = freshDir(sessionDir, 'cnn-bn');
    const data = join(dir, 'digits-400.arrow');
    expect((await runLoom(['data', 'mnist', '--out', data, '--limit', '400'], { sessionDir })).code).toBe(0);
    const out = join(dir, 'run');
    // 360 training digits in batches of 32 and micro-batches of 16: 11 batches of 2 chunks, then 8 digits in 1.
    const chunks = 11 * 2 + 1;
    const args = ['--model', 'cnn-bn', '--workers', '2', '--epochs', '2', '--batch-size', '32', '--micro-batch', '16'];
    const result = await runLoom(['train', '--data', data, ...args, '--out', out], { sessionDir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [start] = eventsOf(result.stdout, 'start');
    expect(start!.model).toMatch(/^cnn-bn \[1,28,28\] → 10 classes/);
    const [done] = eventsOf(result.stdout, 'done');
    expect(done).toMatchObject({ status: 'done', epochs: 2 });
    // It learned, on the running statistics (measured: val loss 1.07, accuracy 0.78; a uniform guess is ln 10 ≈ 2.30, 0.1).
    expect(done!.valLoss as number).toBeLessThan(1.5);
    expect(done!.valAccuracy as number).toBeGreaterThan(0.5);

    const latest = JSON.parse(readFileSync(join(out, 'checkpoints', 'latest.json'), 'utf8')) as { file: string };
    const { tensors } = await loadSafetensorsFile(join(out, 'checkpoints', latest.file));
    for (const norm of ['1', '5', '11']) {
      for (const buffer of ['running_mean', 'running_var']) {
        const values = Array.from(tensors[`model.${norm}.${buffer}`]!.data());
        expect(values.every(Number.isFinite)).toBe(true);
        // Moved off their initial zeros and ones.
        expect(values.some((v) => v !== (buffer === 'running_mean' ? 0 : 1))).toBe(true);
      }
      const tracked = tensors[`model.${norm}.num_batches_tracked`]!;
      expect(tracked.dtype).toBe('int32');
      expect(Array.from(tracked.data())).toEqual([2 * chunks]);
    }

    const evaluated = await runLoom(['eval', '--run', out], { sessionDir });
    expect(evaluated.code).toBe(0);
    const [report] = eventsOf(evaluated.stdout, 'eval');
    expect(report).toMatchObject({ rows: 'validation rows', samples: 40 });
    expect(report!.accuracy).toBe(done!.valAccuracy);
    expect(report!.loss).toBeCloseTo(done!.valLoss as number, 6);
  });
});
