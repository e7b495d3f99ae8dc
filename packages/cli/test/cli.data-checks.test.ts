import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { eventsOf, freshDir, runLoom } from './helpers.js';

const sessionDir = inject('sessionDir');

/** A small CSV: three clusters of four features, labelled by name. */
function flowersCsv(rows = 120): string {
  const names = ['setosa', 'versicolor', 'virginica'];
  const lines = ['x1,x2,x3,x4,species'];
  for (let i = 0; i < rows; i++) {
    const c = i % 3;
    const jitter = ((i * 7919) % 100) / 400;
    lines.push([c + jitter, 2 * c - jitter, 1 - c + jitter, c * jitter].map((v) => v.toFixed(3)).join(',') + `,${names[c]}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Converts CSV text to an Arrow file in `cwd` and returns the train result on it. */
async function trainOn(cwd: string, csv: string, extra: string[] = []): Promise<Awaited<ReturnType<typeof runLoom>>> {
  writeFileSync(join(cwd, 'd.csv'), csv);
  const converted = await runLoom(['data', 'convert', 'd.csv', 'd.arrow', '--overwrite'], { sessionDir, cwd });
  expect(converted.stderr).toBe('');
  return runLoom(
    [
      'train',
      '--data',
      'd.arrow',
      '--target',
      'y',
      '--epochs',
      '1',
      '--batch-size',
      '4',
      '--micro-batch',
      '4',
      '--workers',
      '1',
      '--out',
      'run',
      ...extra,
    ],
    { sessionDir, cwd },
  );
}

describe('data is checked when it is loaded, naming the column and the row (exit 2, before training)', () => {
  it('text labels become class indices (names in the file), --model mlp takes its sizes from the data, eval prints the names', async () => {
    const cwd = freshDir(sessionDir, 'labels');
    writeFileSync(join(cwd, 'flowers.csv'), flowersCsv());
    const converted = await runLoom(['data', 'convert', 'flowers.csv', 'flowers.arrow'], { sessionDir, cwd });
    expect(eventsOf(converted.stdout, 'convert')[0]).toMatchObject({
      columns: { x1: 'float64', species: 'classes' },
      classes: { species: ['setosa', 'versicolor', 'virginica'] },
    });
    const trained = await runLoom(
      [
        'train',
        '--data',
        'flowers.arrow',
        '--target',
        'species',
        '--model',
        'mlp',
        '--epochs',
        '3',
        '--batch-size',
        '12',
        '--micro-batch',
        '12',
        '--workers',
        '1',
        '--out',
        'run',
      ],
      { sessionDir, cwd },
    );
    expect(trained.stderr).toBe('');
    expect(eventsOf(trained.stdout, 'start')[0]).toMatchObject({ model: 'mlp 4,256,128,3', data: { classes: 3 } });
    const evaluated = await runLoom(['eval', '--run', 'run'], { sessionDir, cwd, text: true });
    expect(evaluated.stdout).toMatch(/accuracy [\d.]+\nclasses: 0 setosa, 1 versicolor, 2 virginica\n$/);
  });

  it('convert names the CSV line and column of a cell that is not a number', async () => {
    const cwd = freshDir(sessionDir, 'cell');
    writeFileSync(join(cwd, 'd.csv'), 'x,y\n1.5,0\n2.5,1\nn/a,0\n3,1\n');
    const result = await runLoom(['data', 'convert', 'd.csv', 'd.arrow'], { sessionDir, cwd });
    expect(result.stderr).toBe(
      "loom: d.csv line 4: column 'x' holds 'n/a', which is not a number, where its other cells are numbers; fix the cell, or leave it empty for a null\n",
    );
    expect(result.code).toBe(2);
  });

  const bad: [string, string, RegExp][] = [
    ['a NaN feature', 'x,y\n1,0\nnan,1\n2,0\n', /^loom: column 'x' holds NaN at row 1 of d\.arrow; every value must be finite\n$/],
    [
      'an infinite feature',
      'x,y\n1,0\n2,1\n-inf,0\n',
      /^loom: column 'x' holds -Infinity \(or a value too large for float32\) at row 2 of d\.arrow/,
    ],
    [
      'a negative class label',
      'x,y\n1,0\n2,-1\n3,1\n',
      /^loom: column 'y' holds the class label -1 at row 1 of d\.arrow; class labels are 0, 1, 2, … \(only the loss's ignoreIndex -100 may be negative\)\n$/,
    ],
    ['a fractional class label', 'x,y\n1,0\n2,1.5\n3,1\n', /^loom: target column 'y' holds 1\.5 at row 1, not an int32 class index\n$/],
  ];
  for (const [what, csv, message] of bad) {
    it(what, async () => {
      const cwd = freshDir(sessionDir, 'bad-data');
      const result = await trainOn(cwd, csv);
      expect(result.stderr).toMatch(message);
      expect(result.code).toBe(2);
    });
  }

  it('empty, zero-byte and truncated Arrow files', async () => {
    const cwd = freshDir(sessionDir, 'files');
    writeFileSync(join(cwd, 'empty.arrow'), '');
    const empty = await runLoom(['train', '--data', 'empty.arrow', '--out', 'run'], { sessionDir, cwd });
    expect(empty.stderr).toBe(
      'loom: empty.arrow is not an Arrow IPC file or stream (it is empty) (convert a CSV with: loom data convert file.csv file.arrow)\n',
    );
    writeFileSync(join(cwd, 'd.csv'), 'x,y\n1,0\n2,1\n');
    await runLoom(['data', 'convert', 'd.csv', 'd.arrow'], { sessionDir, cwd });
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(join(cwd, 'd.arrow'));
    writeFileSync(join(cwd, 'cut.arrow'), bytes.subarray(0, bytes.length - 30));
    const cut = await runLoom(['train', '--data', 'cut.arrow', '--out', 'run'], { sessionDir, cwd });
    expect(cut.stderr).toBe(
      `loom: cut.arrow is truncated: an Arrow IPC file ends with the marker ARROW1 and these ${bytes.length - 30} bytes do not (an interrupted copy or download?)\n`,
    );
    writeFileSync(join(cwd, 'header.csv'), 'x,y\n');
    const noRows = await runLoom(['data', 'convert', 'header.csv', 'none.arrow'], { sessionDir, cwd });
    expect(noRows.stderr).toBe('loom: header.csv has a header but no rows\n');
    expect([empty.code, cut.code, noRows.code]).toEqual([2, 2, 2]);
  });
});
