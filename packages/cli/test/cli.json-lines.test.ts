import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { events, freshDir, runLoom } from './helpers.js';

const sessionDir = inject('sessionDir');
const mnist2k = inject('mnist2k');

describe('JSON Lines output', () => {
  it('prints one JSON object per event on stdout, in order, and nothing else', async () => {
    const out = join(freshDir(sessionDir, 'json'), 'run');
    const result = await runLoom(
      ['train', '--json', '--data', mnist2k, '--epochs', '2', '--batch-size', '100', '--micro-batch', '25', '--out', out],
      { sessionDir },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.endsWith('\n')).toBe(true);
    const all = events(result.stdout);
    expect(all.map((e) => e.event).filter((e, i, a) => e !== a[i - 1])).toEqual([
      'start',
      'step',
      'epoch',
      'checkpoint',
      'step',
      'epoch',
      'checkpoint',
      'done',
    ]);
    // 1,800 training rows in batches of 100: 18 steps an epoch, numbered over the whole run.
    const steps = all.filter((e) => e.event === 'step');
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
    expect(steps.map((s) => s.batch)).toEqual([
      ...Array.from({ length: 18 }, (_, i) => i + 1),
      ...Array.from({ length: 18 }, (_, i) => i + 1),
    ]);
    for (const step of steps) {
      expect(step).toMatchObject({ epochs: 2, batches: 18, samples: 100, lr: 0.001 });
      expect(Number.isFinite(step.loss)).toBe(true);
      expect(step.samplesPerSecond as number).toBeGreaterThan(0);
    }
    const checkpoints = all.filter((e) => e.event === 'checkpoint');
    expect(checkpoints.map((c) => [c.reason, c.epoch, c.step])).toEqual([
      ['epoch', 1, 18],
      ['epoch', 2, 36],
    ]);
    expect(checkpoints[1]!.path).toBe(join(out, 'checkpoints', 'epoch-0002.safetensors'));
  });

  it('is what every command prints with --json; without it, people read text, in a pipe too', async () => {
    const inspect = await runLoom(['data', 'inspect', mnist2k, '--json'], { sessionDir, text: true });
    expect(inspect.code).toBe(0);
    const [report] = events(inspect.stdout);
    expect(report).toMatchObject({ event: 'inspect', rows: 2000 });
    const text = await runLoom(['data', 'inspect', mnist2k], { sessionDir, text: true });
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(/^\{/m);
    expect(text.stdout).toContain('2,000');
  });
});
