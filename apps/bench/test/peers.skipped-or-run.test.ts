import { describe, expect, it } from 'vitest';
import { runPytorch } from '../src/peers/pytorch.js';
import { runTfjs } from '../src/peers/tfjs.js';
import { WORKLOADS } from '../src/scaling/workloads.js';

const protocol = { warmupSteps: 0, steps: 1, repeats: 1, budgetMs: 1000 };

describe('peers', () => {
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
