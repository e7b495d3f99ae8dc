import { describe, expect, it } from 'vitest';
import { KEPT_HEAP_SETTINGS } from '@loom/core';
import { pinnedEnv, runPytorch, THREAD_POOL_VARIABLES } from '../src/peers/pytorch.js';
import { runTfjs } from '../src/peers/tfjs.js';
import { WORKLOADS } from '../src/scaling/workloads.js';

const protocol = { warmupSteps: 0, warmupMs: 0, steps: 1, minRunMs: 0, timedBatches: 4, repeats: 1, budgetMs: 1000 };

describe('peers', () => {
  it("start PyTorch with every thread pool pinned and malloc keeping freed heap as Loom's process does", () => {
    const env = pinnedEnv(2, 'SkylakeX');
    for (const name of THREAD_POOL_VARIABLES) expect(env[name], name).toBe('2');
    expect(env['OPENBLAS_CORETYPE']).toBe('SkylakeX');
    for (const s of KEPT_HEAP_SETTINGS) expect(env[s.environmentVariable], s.environmentVariable).toBe(String(s.value));
    expect('OPENBLAS_CORETYPE' in pinnedEnv(1, null)).toBe(false);
  });

  it('report PyTorch as skipped, with the reason, when no Python imports torch', async () => {
    const r = await runPytorch(WORKLOADS, {
      pythons: ['/nonexistent/python3'],
      threads: [1, 2],
      protocol,
      matmulTimeMs: 0,
      timeoutMs: 10_000,
    });
    expect(r.peers.map((p) => [p.system, p.status])).toEqual([
      ['pytorch', 'skipped'],
      ['pytorch-skylakex', 'skipped'],
      ['pytorch-ddp', 'skipped'],
    ]);
    expect(r.peers[0]!.detail).toMatch(/no Python with torch \(\/nonexistent\/python3: not found\)/);
    for (const w of WORKLOADS) {
      const runs = r.runs.get(w.id)!;
      expect(runs.every((s) => s.status === 'skipped' && s.points.length === 0)).toBe(true);
    }
    expect(r.micro).toEqual([]);
  });

  it('run TensorFlow.js wasm on W1 in this process, as one thread', async () => {
    const r = await runTfjs([WORKLOADS[0]!], {
      backends: ['wasm'],
      workloads: { wasm: ['W1'], cpu: [] },
      skipReason: 'not in this test',
      protocol,
      micro: null,
      matmulMaxFlops: { wasm: 0, cpu: 0 },
    });
    expect(r.peers).toEqual([{ system: 'tfjs-wasm', status: 'ok', detail: "@tensorflow/tfjs 4.22.0, backend 'wasm', 1 thread" }]);
    const [run] = r.runs.get('W1')!;
    expect(run!.status).toBe('ok');
    expect(run!.points).toHaveLength(1);
    expect(run!.points[0]).toMatchObject({ workers: 1, steps: 1, efficiency: 1 });
    expect(run!.points[0]!.samplesPerSecond).toBeGreaterThan(0);
  });
});
