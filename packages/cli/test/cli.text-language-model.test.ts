import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { eventsOf, freshDir, runLoom } from './helpers.js';

const sessionDir = inject('sessionDir');

const TEXT = 'the cat sat on the mat\nthe dog sat on the log\n'.repeat(6);

describe('a character-level language model end to end: loom data text → train → sample', () => {
  it('writes next-character windows, trains the char-transformer one epoch on 2 workers, and samples the same text for the same seed', async () => {
    const dir = freshDir(sessionDir, 'text');
    const textFile = join(dir, 'tiny.txt');
    writeFileSync(textFile, TEXT);
    const data = join(dir, 'tiny.arrow');
    const written = await runLoom(['data', 'text', textFile, '--out', data, '--context-length', '8', '--stride', '4'], { sessionDir });
    expect(written.stderr).toBe('');
    expect(written.code).toBe(0);
    const [report] = eventsOf(written.stdout, 'data');
    // 276 characters, windows of 8 every 4 characters: starts 0, 4, …, 264 (each needs 9 characters).
    expect(report).toMatchObject({ rows: 67, contextLength: 8, stride: 4, characters: 276, features: 'context', target: 'label' });
    const vocabulary = report!.vocabulary as string[];
    expect(vocabulary).toEqual([...new Set(TEXT)].sort());

    const run = join(dir, 'run');
    const model = 'char-transformer:dModel=16,nhead=2,numLayers=1';
    const trained = await runLoom(
      [
        'train',
        '--data',
        data,
        '--model',
        model,
        '--epochs',
        '1',
        '--batch-size',
        '16',
        '--micro-batch',
        '8',
        '--workers',
        '2',
        '--optimizer',
        'AdamW',
        '--lr',
        '0.01',
        '--scheduler',
        'CosineAnnealingLR',
        '--t-max',
        '4',
        '--scheduler-interval',
        'step',
        '--out',
        run,
      ],
      { sessionDir },
    );
    expect(trained.stderr).toBe('');
    expect(trained.code).toBe(0);
    const [start] = eventsOf(trained.stdout, 'start');
    expect(start!.data).toMatchObject({ rows: 67, features: ['context'], featureShape: [8], target: 'label', classes: vocabulary.length });
    const [done] = eventsOf(trained.stdout, 'done');
    expect(done).toMatchObject({ status: 'done', epochs: 1 });
    // Accuracy counts every position of the sequences, so it is a fraction in [0, 1].
    expect(done!.valAccuracy as number).toBeGreaterThanOrEqual(0);
    expect(done!.valAccuracy as number).toBeLessThanOrEqual(1);

    const sample = (seed: string) => runLoom(['sample', '--run', run, '--length', '40', '--seed', seed, '--json'], { sessionDir });
    const [a, b, c] = await Promise.all([sample('1'), sample('1'), sample('2')]);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    const text = eventsOf(a.stdout, 'sample')[0]!.text as string;
    expect(Array.from(text)).toHaveLength(40);
    expect(Array.from(text).every((ch) => vocabulary.includes(ch))).toBe(true);
    expect(eventsOf(b.stdout, 'sample')[0]!.text).toBe(text);
    expect(eventsOf(c.stdout, 'sample')[0]!.text).not.toBe(text);

    const greedy = await runLoom(['sample', '--run', run, '--length', '5', '--temperature', '0', '--prompt', 'the ', '--json'], {
      sessionDir,
    });
    expect(eventsOf(greedy.stdout, 'sample')[0]).toMatchObject({ prompt: 'the ', temperature: 0 });
  }, 240_000);

  it('refuses what it cannot do, saying what to do instead', async () => {
    const dir = freshDir(sessionDir, 'text-errors');
    const short = join(dir, 'short.txt');
    writeFileSync(short, 'abc');
    const tooShort = await runLoom(['data', 'text', short, '--out', join(dir, 'x.arrow'), '--context-length', '8'], { sessionDir });
    expect(tooShort.code).toBe(2);
    expect(tooShort.stderr).toContain('the text has 3 characters; a window of 8 and its next character need at least 9');
    const missing = await runLoom(['data', 'text', join(dir, 'nope.txt'), '--out', join(dir, 'y.arrow')], { sessionDir });
    expect(missing.stderr).toContain('no such text file');
    const badModel = await runLoom(['train', '--model', 'char-transformer:depth=2', '--epochs', '1', '--out', join(dir, 'run')], {
      sessionDir,
    });
    expect(badModel.stderr).toContain("'depth=2' is not KEY=VALUE with KEY one of dModel, nhead, numLayers, dimFeedforward, dropout");
    const onMnist = await runLoom(['train', '--model', 'char-transformer', '--epochs', '1', '--out', join(dir, 'run2')], { sessionDir });
    expect(onMnist.stderr).toContain('--model char-transformer needs next-character windows');
  }, 180_000);
});
