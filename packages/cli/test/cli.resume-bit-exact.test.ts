import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { eventsOf, freshDir, runLoom } from './helpers.js';

const sessionDir = inject('sessionDir');
const mnist2k = inject('mnist2k');

const checkpoint = (run: string, epoch: number): Buffer =>
  readFileSync(join(run, 'checkpoints', `epoch-${String(epoch).padStart(4, '0')}.safetensors`));

describe('loom train --resume', () => {
  it('2 epochs, then a resume to 3, writes the same bytes as 3 epochs straight (even on another worker count)', async () => {
    const dir = freshDir(sessionDir, 'resume');
    const common = ['--data', mnist2k, '--batch-size', '100', '--micro-batch', '25', '--workers', '2'];
    const straight = join(dir, 'straight');
    const split = join(dir, 'split');
    const [a, b] = await Promise.all([
      runLoom(['train', ...common, '--epochs', '3', '--out', straight], { sessionDir }),
      runLoom(['train', ...common, '--epochs', '2', '--out', split], { sessionDir }),
    ]);
    expect([a.code, a.stderr, b.code, b.stderr]).toEqual([0, '', 0, '']);

    const resumed = await runLoom(['train', '--resume', split, '--epochs', '3', '--workers', '1'], { sessionDir });
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const [start] = eventsOf(resumed.stdout, 'start');
    expect(start).toMatchObject({ resumedFrom: join(split, 'checkpoints', 'epoch-0002.safetensors'), epochsDone: 2 });
    expect(eventsOf(resumed.stdout, 'epoch').map((e) => e.epoch)).toEqual([3]);
    expect(eventsOf(resumed.stdout, 'step')[0]).toMatchObject({ step: 37, epoch: 3, batch: 1 });

    expect(checkpoint(split, 2).equals(checkpoint(straight, 2))).toBe(true);
    expect(checkpoint(split, 3).equals(checkpoint(straight, 3))).toBe(true);
    const [last] = eventsOf(resumed.stdout, 'done');
    const [lastStraight] = eventsOf(a.stdout, 'done');
    expect(last!.valLoss).toBe(lastStraight!.valLoss);
    // The saved config records the new epoch count; metrics.jsonl holds all three epochs.
    expect(JSON.parse(readFileSync(join(split, 'config.json'), 'utf8'))).toMatchObject({ epochs: 3, workers: 1 });
    const epochs = readFileSync(join(split, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; epoch: number });
    expect(epochs.filter((m) => m.event === 'epoch').map((m) => m.epoch)).toEqual([1, 2, 3]);
  });

  it('does nothing more when the run already has its epochs', async () => {
    const run = join(freshDir(sessionDir, 'resume-done'), 'run');
    const first = await runLoom(['train', '--data', mnist2k, '--epochs', '1', '--batch-size', '200', '--out', run], { sessionDir });
    expect(first.code).toBe(0);
    const again = await runLoom(['train', '--out', run, '--resume'], { sessionDir });
    expect(again.code).toBe(0);
    expect(eventsOf(again.stdout, 'step')).toEqual([]);
    expect(eventsOf(again.stdout, 'notice')[0]!.message).toMatch(/already trained 1 epoch;/);
  });
});
