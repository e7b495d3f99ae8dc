import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { eventsOf, freshDir, runLoom } from './helpers.js';

const sessionDir = inject('sessionDir');
const mnist2k = inject('mnist2k');
const quick = ['--data', mnist2k, '--batch-size', '200', '--micro-batch', '100', '--workers', '1'];

describe('train options', () => {
  it('--scheduler ReduceLROnPlateau steps after validation on the validation loss, as PyTorch does', async () => {
    const cwd = freshDir(sessionDir, 'plateau');
    const result = await runLoom(
      [
        'train',
        ...quick,
        '--epochs',
        '6',
        '--optimizer',
        'SGD',
        '--lr',
        '0.8',
        '--scheduler',
        'ReduceLROnPlateau',
        '--patience',
        '0',
        '--factor',
        '0.5',
        '--out',
        'run',
      ],
      { sessionDir, cwd },
    );
    expect(result.stderr).toBe('');
    const epochs = eventsOf(result.stdout, 'epoch');
    // PyTorch's rule (mode min, threshold 1e-4 relative, patience 0): halve after every epoch that is not a new best.
    let [lr, best] = [0.8, Infinity];
    for (const e of epochs) {
      expect(e.lr).toBeCloseTo(lr, 12);
      const loss = e.valLoss as number;
      if (loss < best * (1 - 1e-4)) best = loss;
      else lr *= 0.5;
    }
    expect(new Set(epochs.map((e) => e.lr)).size).toBeGreaterThan(1);
  });

  it('ReduceLROnPlateau without validation rows is refused before training, unless it monitors the training loss', async () => {
    const cwd = freshDir(sessionDir, 'plateau-no-val');
    const refused = await runLoom(['train', ...quick, '--val-split', '0', '--scheduler', 'ReduceLROnPlateau', '--out', 'run'], {
      sessionDir,
      cwd,
    });
    expect(refused.stderr).toBe(
      'loom: ReduceLROnPlateau monitors the validation loss, but --val-split is 0; hold out rows, or pass --plateau-metric train-loss\n',
    );
    expect(refused.code).toBe(2);
    const train = await runLoom(
      [
        'train',
        ...quick,
        '--epochs',
        '2',
        '--val-split',
        '0',
        '--scheduler',
        'ReduceLROnPlateau',
        '--plateau-metric',
        'train-loss',
        '--out',
        'run',
      ],
      { sessionDir, cwd },
    );
    expect(train.code).toBe(0);
  });

  it('--on-nan skip goes on past non-finite steps; stop (the default) names the step as the events count it', async () => {
    const cwd = freshDir(sessionDir, 'nan');
    const args = ['train', ...quick, '--epochs', '1', '--optimizer', 'SGD', '--lr', '1e30'];
    const skip = await runLoom([...args, '--on-nan', 'skip', '--out', 'skip'], { sessionDir, cwd });
    expect(skip.code).toBe(0);
    const steps = eventsOf(skip.stdout, 'step');
    expect(steps.map((s) => s.skipped)).toEqual([false, ...Array<boolean>(8).fill(true)]);
    const stop = await runLoom([...args, '--out', 'stop'], { sessionDir, cwd });
    expect(stop.stderr).toMatch(/^loom: training stopped: the loss is (NaN|Infinity) at step 2 \(epoch 1, batch 2\);/);
    expect(stop.code).toBe(1);
  });

  it('in a pipe, loom train prints plain sparse lines (a step line every --log-every steps, one per epoch), not JSON', async () => {
    const cwd = freshDir(sessionDir, 'text');
    const result = await runLoom(['train', ...quick, '--epochs', '2', '--log-every', '5', '--out', 'run'], { sessionDir, cwd, text: true });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('loom train → run');
    expect(lines.filter((l) => l.startsWith('{'))).toEqual([]);
    expect(lines.filter((l) => /^epoch 1\/2 {2}step \d+ {2}batch/.test(l)).map((l) => l.split(/\s+/)[3])).toEqual(['5']);
    expect(
      lines.filter((l) => /^epoch [12]\/2 {2}train loss [\d.]+ {2}val loss [\d.]+ {2}val acc [\d.]+ {2}lr 0\.001 /.test(l)),
    ).toHaveLength(2);
    expect(lines[lines.length - 1]).toMatch(
      /^done: 2 epochs in [\d.]+s; val accuracy [\d.]+, val loss [\d.]+ · checkpoint run\/checkpoints\/epoch-0002\.safetensors$/,
    );
    // Every step still reaches metrics.jsonl.
    expect(readFileSync(join(cwd, 'run', 'metrics.jsonl'), 'utf8').match(/"event":"step"/g)).toHaveLength(18);
  });

  it('each run draws curves.svg, and loom plot draws several runs side by side', async () => {
    const cwd = freshDir(sessionDir, 'plot');
    const [a, b] = await Promise.all([
      runLoom(['train', ...quick, '--epochs', '2', '--out', 'adam'], { sessionDir, cwd }),
      runLoom(['train', ...quick, '--epochs', '2', '--optimizer', 'SGD', '--lr', '0.1', '--out', 'sgd'], { sessionDir, cwd }),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const curves = readFileSync(join(cwd, 'adam', 'curves.svg'), 'utf8');
    expect(curves).toMatch(/^<svg /);
    for (const title of ['loss (train solid, validation dashed)', 'validation accuracy', 'learning rate']) expect(curves).toContain(title);
    const plotted = await runLoom(['plot', 'adam', 'sgd', '--out', 'both.svg'], { sessionDir, cwd });
    expect(eventsOf(plotted.stdout, 'plot')[0]).toMatchObject({ runs: ['adam', 'sgd'], epochs: 4 });
    const both = readFileSync(join(cwd, 'both.svg'), 'utf8');
    expect(both).toContain('>adam<');
    expect(both).toContain('>sgd<');
    const missing = await runLoom(['plot', 'nope'], { sessionDir, cwd });
    expect(missing.stderr).toBe('loom: no such run directory: nope\n');
    expect(missing.code).toBe(2);
  });
});
