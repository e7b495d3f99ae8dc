import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadArrow } from '@loom/parallel';
import { describe, expect, inject, it } from 'vitest';
import { formatColumns } from '../src/commands/data-inspect.js';
import { eventsOf, freshDir, runLoom } from './helpers.js';

const sessionDir = inject('sessionDir');

describe('loom data', () => {
  it('mnist writes the built-in digits: pixels in [0, 1], every class in any prefix', async () => {
    const cwd = freshDir(sessionDir, 'mnist');
    const result = await runLoom(['data', 'mnist', '--out', 'd.arrow', '--limit', '500'], { sessionDir, cwd });
    expect(result.code).toBe(0);
    expect(eventsOf(result.stdout, 'data')[0]).toMatchObject({ rows: 500, featureShape: [1, 28, 28], classes: 10 });
    const dataset = loadArrow(join(cwd, 'd.arrow'), { features: 'pixels', target: 'label' });
    expect(dataset.featureShape).toEqual([1, 28, 28]);
    const counts = new Array<number>(10).fill(0);
    for (const label of dataset.targets) counts[label]!++;
    for (const count of counts) expect(count).toBeGreaterThan(25);

    const again = await runLoom(['data', 'mnist', '--out', 'd.arrow'], { sessionDir, cwd });
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('loom: d.arrow already exists; pass --overwrite to replace it\n');
  });

  it('inspect reports the schema, the row count and per-column min/max/mean/nulls', async () => {
    const cwd = freshDir(sessionDir, 'inspect');
    await runLoom(['data', 'mnist', '--out', 'd.arrow', '--limit', '300'], { sessionDir, cwd });
    const result = await runLoom(['data', 'inspect', 'd.arrow'], { sessionDir, cwd });
    expect(result.code).toBe(0);
    const [report] = eventsOf(result.stdout, 'inspect');
    expect(report!.rows).toBe(300);
    const [pixels, label] = report!.columns as Record<string, unknown>[];
    expect(pixels).toMatchObject({ name: 'pixels', type: 'FixedSizeList[784]<Float32>', width: 784, nulls: 0, min: 0, max: 1 });
    expect(pixels!.mean as number).toBeGreaterThan(0.1);
    expect(pixels!.mean as number).toBeLessThan(0.16);
    expect(label).toMatchObject({ name: 'label', type: 'Int32', nulls: 0, min: 0, max: 9 });

    const missing = await runLoom(['data', 'inspect', 'nothing.arrow'], { sessionDir, cwd });
    expect([missing.code, missing.stderr]).toEqual([2, 'loom: no such data file: nothing.arrow\n']);
  });

  it('inspect prints an aligned table on a terminal', () => {
    const lines = formatColumns([
      { name: 'x', type: 'Float64', nullable: true, nulls: 2, width: 1, min: -1.5, max: 2, mean: 0.25 },
      { name: 'name', type: 'Utf8', nullable: true, nulls: 0, width: 1, min: null, max: null, mean: null },
    ]);
    expect(lines).toEqual([
      '  column  type     nulls   min  max  mean',
      '  x       Float64      2  -1.5    2  0.25',
      '  name    Utf8         0     –    –     –',
    ]);
  });

  it('convert turns a CSV with a header into Arrow with inferred types, and loom trains on it', async () => {
    const cwd = freshDir(sessionDir, 'convert');
    // Two features and a class: 1 when x1 + x2 > 0. Row values are a fixed pseudo-random walk.
    const rows = ['x1,x2,label'];
    for (let i = 0; i < 400; i++) {
      const x1 = Math.sin(i * 12.9898) * 2;
      const x2 = Math.cos(i * 78.233) * 2;
      rows.push(`${x1.toFixed(4)},${x2.toFixed(4)},${x1 + x2 > 0 ? 1 : 0}`);
    }
    writeFileSync(join(cwd, 'points.csv'), `${rows.join('\n')}\n`);
    const converted = await runLoom(['data', 'convert', 'points.csv', 'points.arrow'], { sessionDir, cwd });
    expect(converted.code).toBe(0);
    expect(eventsOf(converted.stdout, 'convert')[0]).toMatchObject({
      rows: 400,
      columns: { x1: 'float64', x2: 'float64', label: 'int32' },
    });

    const trained = await runLoom(
      [
        'train',
        '--data',
        'points.arrow',
        '--model',
        'mlp:2,16,2',
        '--epochs',
        '20',
        '--batch-size',
        '40',
        '--micro-batch',
        '20',
        '--lr',
        '0.02',
        '--val-split',
        '0.25',
        '--out',
        'run',
      ],
      { sessionDir, cwd },
    );
    expect(trained.stderr).toBe('');
    expect(trained.code).toBe(0);
    expect(eventsOf(trained.stdout, 'start')[0]!.data).toMatchObject({
      features: ['x1', 'x2'],
      target: 'label',
      classes: 2,
      train: 300,
      validation: 100,
    });
    expect(eventsOf(trained.stdout, 'done')[0]!.valAccuracy as number).toBeGreaterThan(0.9);
  });

  it('convert infers int32, float64, bool and class-label columns (text → indices), with empty cells as nulls', async () => {
    const cwd = freshDir(sessionDir, 'types');
    writeFileSync(join(cwd, 't.csv'), 'id,score,ok,name\n1,2.5,true,ada\n2,,false,"lovelace, a."\n3,1e3,TRUE,\n');
    const converted = await runLoom(['data', 'convert', 't.csv', 't.arrow'], { sessionDir, cwd });
    expect(eventsOf(converted.stdout, 'convert')[0]!.columns).toEqual({ id: 'int32', score: 'float64', ok: 'bool', name: 'classes' });
    const inspected = await runLoom(['data', 'inspect', 't.arrow'], { sessionDir, cwd });
    const columns = eventsOf(inspected.stdout, 'inspect')[0]!.columns as Record<string, unknown>[];
    expect(columns.map((c) => [c.name, c.type, c.nulls, c.min, c.max, c.mean])).toEqual([
      ['id', 'Int32', 0, 1, 3, 2],
      ['score', 'Float64', 1, 2.5, 1000, 501.25],
      ['ok', 'Bool', 0, 0, 1, 2 / 3],
      ['name', 'Int32', 1, 0, 1, 0.5],
    ]);
  });

  it('convert names the line of a malformed row, and never overwrites an existing file', async () => {
    const cwd = freshDir(sessionDir, 'malformed');
    writeFileSync(join(cwd, 'short.csv'), 'a,b,c\n1,2,3\n4,5,6\n7,8\n9,10,11\n');
    const short = await runLoom(['data', 'convert', 'short.csv', 'out.arrow'], { sessionDir, cwd });
    expect([short.code, short.stderr]).toEqual([2, 'loom: short.csv line 4: expected 3 fields as in the header, found 2\n']);
    expect(existsSync(join(cwd, 'out.arrow'))).toBe(false);

    writeFileSync(join(cwd, 'quote.csv'), 'a,b\n1,2\n3,"unclosed\n');
    const quote = await runLoom(['data', 'convert', 'quote.csv', 'out.arrow'], { sessionDir, cwd });
    expect(quote.code).toBe(2);
    expect(quote.stderr).toMatch(/^loom: quote\.csv: .*line 3.*\n$/);

    writeFileSync(join(cwd, 'ok.csv'), 'a\n1\n');
    writeFileSync(join(cwd, 'taken.arrow'), 'precious');
    const taken = await runLoom(['data', 'convert', 'ok.csv', 'taken.arrow'], { sessionDir, cwd });
    expect([taken.code, taken.stderr]).toEqual([2, 'loom: taken.arrow already exists; pass --overwrite to replace it\n']);
  });
});
