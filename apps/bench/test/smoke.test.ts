import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeKernels, kernelInfo } from '@loom/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The built bench, as `pnpm bench` runs it: the trainer's and the all-reduce's worker entry
// points are compiled files beside it.
import { parseResults, runBench, type BenchOutput, type BenchResults } from '../dist/index.js';

describe('the quick study, one step of everything', () => {
  let dir = '';
  let out: BenchOutput = null;
  let results: BenchResults;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loom-bench-smoke-'));
    out = await runBench(['--smoke', '--out', join(dir, 'run'), '--workers', '1,2', '--peers', 'none'], () => {});
    results = parseResults(await readFile(out!.json, 'utf8'));
  }, 300_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes results.json, results.md and scaling.svg into --out', () => {
    expect(out).toEqual({
      dir: join(dir, 'run'),
      json: join(dir, 'run', 'results.json'),
      markdown: join(dir, 'run', 'results.md'),
      chart: join(dir, 'run', 'scaling.svg'),
    });
  });

  it('measures Loom on every workload at 1 and 2 workers, with efficiency and the step split', () => {
    expect(results.scaling.map((w) => w.id)).toEqual(['W1', 'W2', 'W3', 'W4']);
    // With a native BLAS here, the WebAssembly matmul path runs too, as 'loom-wasm'; the study's 16
    // chunks outnumber 2 workers, so the batch runs in 2 chunks too, as 'loom-few-chunks'.
    const systems = ['loom', ...(kernelInfo().blas ? ['loom-wasm'] : []), 'loom-few-chunks', 'loom-projected'];
    for (const w of results.scaling) {
      expect(w.systems.map((s) => s.system)).toEqual(systems);
      expect(w.systems.at(-1)!.points.map((p) => p.workers)).toEqual([1, 2, 4, 8, 16, 32, 64]);
      expect(w.systems.slice(0, -1).every((s) => s.status === 'ok' && s.points.length === 2)).toBe(true);
      const loom = w.systems[0]!;
      expect(loom.status).toBe('ok');
      expect(loom.points.map((p) => p.workers)).toEqual([1, 2]);
      for (const p of loom.points) {
        expect(p.samplesPerSecond).toBeGreaterThan(0);
        expect(p.efficiency).toBeGreaterThan(0);
        expect(p.split!.total).toBeGreaterThanOrEqual(p.split!.compute);
      }
      expect(loom.points[0]!.efficiency).toBe(1);
      expect(w.systems.find((s) => s.system === 'loom-few-chunks')!.microBatch).toBe(w.batchSize / 2);
    }
  });

  it('runs every micro-benchmark suite', () => {
    const suites = new Set(results.micro.map((m) => m.suite));
    expect([...suites]).toEqual(['matmul', 'conv2d fwd+bwd', 'cross-entropy fwd+bwd', 'optimizer step', 'all-reduce', 'step sync']);
    expect(results.micro.every((m) => Number.isFinite(m.value) && m.value > 0)).toBe(true);
    // Matmul on each path this machine has: the BLAS where one loaded, and the WebAssembly kernel.
    const info = kernelInfo();
    const matmulPaths = new Set(results.micro.filter((m) => m.suite === 'matmul').map((m) => m.backend));
    expect(matmulPaths).toEqual(new Set([...(info.blas ? ['blas'] : []), info.backend]));
    expect(results.kernels).toBe(describeKernels(info));
    expect(results.micro.filter((m) => m.suite === 'step sync').map((m) => `${m.backend} ${m.workers}`)).toEqual([
      'persistent loops 1',
      'persistent loops 2',
      'piscina tasks 1',
      'piscina tasks 2',
    ]);
  });

  it('writes a Markdown table per workload and an SVG chart', async () => {
    const md = await readFile(out!.markdown, 'utf8');
    for (const id of ['W1', 'W2', 'W3', 'W4']) expect(md).toContain(`### ${id}: `);
    expect(md).toContain('| Loom, fewest chunks (micro-batch 128) samples/s (eff.) |');
    expect(md).toContain('## Micro-benchmarks');
    const svg = await readFile(out!.chart, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('W3: scaling efficiency');
  });
});
