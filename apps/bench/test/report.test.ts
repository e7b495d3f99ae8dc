import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderChartSvg, scalingChartSpec } from '../src/report/chart.js';
import { formatFigure, formatPercent } from '../src/report/format.js';
import { parseResults, renderJson } from '../src/report/json.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { runFolderName, writeReport } from '../src/report/write.js';
import { sampleResults } from './sample-results.js';

describe('Markdown report', () => {
  const md = renderMarkdown(sampleResults());

  it('has a scaling table per workload with Loom’s split (p90 over median where measured) and a column per measured peer', () => {
    expect(md).toContain('### W1: MLP 784-256-128-10 (batch 256, micro-batch 16, 235,146 parameters)');
    expect(md).toContain(
      '| workers | Loom samples/s | efficiency | compute ms | reduce+update ms | sync ms | p90 / median step | cores: Loom / others | TF.js wasm samples/s (eff.) |',
    );
    expect(md).toContain('| 1 | 10000 | 100% | 20.0 | 4.00 | 1.60 | 1.10× | 1.01 / 0.03 | 4000 (100%) |');
    expect(md).toContain('| 2 | 18000 | 90% | 11.0 | 2.00 | 1.20 | — | 1.46 / 0.61 | — |');
  });

  it('lists a skipped peer with its reason instead of a column of numbers', () => {
    expect(md).toContain('- PyTorch: skipped — python3 has no torch module');
    expect(md).not.toContain('PyTorch samples/s');
  });

  it('has the micro-benchmarks and the peers', () => {
    expect(md).toContain('| matmul | 256×784·784×256 | wasm-simd |  | 30.5 | GFLOPS | 3.37 | 100 |');
    expect(md).toContain('| PyTorch | skipped | python3 has no torch module |');
  });

  it('formats figures to about three significant digits and efficiencies as percentages', () => {
    expect([12345.6, 123.4, 12.34, 1.234, 0.01234, 0].map(formatFigure)).toEqual(['12346', '123', '12.3', '1.23', '0.0123', '0']);
    expect(formatPercent(0.934)).toBe('93%');
  });
});

describe('results.json', () => {
  it('round-trips', () => {
    const r = sampleResults();
    expect(parseResults(renderJson(r))).toEqual(r);
  });

  it('refuses JSON that is not a bench result', () => {
    expect(() => parseResults('{"schema": "other"}')).toThrow(/not a Loom bench result/);
  });
});

describe('chart', () => {
  it('plots throughput and efficiency per workload for every measured system', () => {
    const spec = scalingChartSpec(sampleResults()) as unknown as {
      vconcat: { hconcat: unknown[] }[];
      data: { values: { system: string; workload: string }[] };
    };
    expect(spec.vconcat).toHaveLength(2);
    expect(spec.vconcat.every((row) => row.hconcat.length === 2)).toBe(true);
    const systems = new Set(spec.data.values.map((v) => v.system));
    expect([...systems]).toEqual(['Loom', 'TF.js wasm']);
  });

  it('renders headless to an SVG document naming the workloads and systems', async () => {
    const svg = await renderChartSvg(sampleResults());
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    for (const text of ['W1: throughput', 'W3: scaling efficiency', 'Loom', 'TF.js wasm']) expect(svg).toContain(text);
  });
});

describe('writeReport', () => {
  it('names the run folder <date>-<host>, path-safe', () => {
    expect(runFolderName(sampleResults())).toBe('2025-11-27-test-box');
  });

  it('writes results.json, results.md and scaling.svg', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loom-bench-report-'));
    try {
      const paths = await writeReport(join(dir, 'run'), sampleResults());
      expect(parseResults(await readFile(paths.json, 'utf8')).machine.host).toBe('test box');
      expect(await readFile(paths.markdown, 'utf8')).toBe(renderMarkdown(sampleResults()));
      expect((await readFile(paths.chart, 'utf8')).startsWith('<svg')).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
