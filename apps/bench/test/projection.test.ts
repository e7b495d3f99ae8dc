import { describe, expect, it } from 'vitest';
import type { MicroResult, WorkloadResult } from '../src/report/types.js';
import { projectedStepMs, projectionBasis, projectLoom } from '../src/scaling/projection.js';

const split = (compute: number, reduceUpdate: number, sync: number) => ({
  compute,
  reduceUpdate,
  sync,
  total: compute + reduceUpdate + sync,
});
const workload: WorkloadResult = {
  id: 'W1',
  description: 'MLP',
  batchSize: 256,
  microBatch: 16,
  parameters: 1,
  systems: [
    {
      system: 'loom',
      status: 'ok',
      points: [
        { workers: 1, samplesPerSecond: 1, runs: [1], steps: 1, iqr: 0, split: split(8, 1, 0.2) },
        { workers: 2, samplesPerSecond: 1, runs: [1], steps: 1, iqr: 0, split: split(4.1, 0.5, 0.3) },
      ],
    },
  ],
};
const reduce = (workers: number, value: number): MicroResult => ({
  suite: 'all-reduce',
  name: '16 × 1M',
  backend: 'wasm-relaxed-simd',
  workers,
  value,
  unit: 'GB/s',
  medianMs: 1,
  samples: 1,
});
const micro = [reduce(1, 10), reduce(2, 15), { ...reduce(1, 1), backend: 'js' }];

describe("Loom's projection to more cores", () => {
  it('rests on the one-worker compute and reduce, a sync line through the measured points, and the all-reduce bandwidth', () => {
    const b = projectionBasis(workload, micro)!;
    expect(b.computePerSample).toBe(8 / 256);
    expect(b.reduceUpdate).toBe(1);
    expect(b.syncBase).toBeCloseTo(0.2, 12);
    expect(b.syncPerDoubling).toBeCloseTo(0.1, 12);
    expect(b.bandwidth).toEqual({ one: 10, most: 15 });
    // 4 workers, 16 chunks of 16: 4 chunks each = 2 ms; reduce+update capped by bandwidth at
    // 1 ms × 10/15; sync 0.2 + 0.1 × 2.
    expect(projectedStepMs(b, 256, 4)).toBeCloseTo(2 + 2 / 3 + 0.4, 12);
    // 32 workers: 32 chunks of 8, one each = 0.25 ms; the same cap; sync 0.2 + 0.1 × 5.
    expect(projectedStepMs(b, 256, 32)).toBeCloseTo(0.25 + 2 / 3 + 0.7, 12);
  });

  it('gives points at 1–64 cores with efficiency against its own one-core point, or says why not', () => {
    const run = projectLoom(workload, micro);
    expect(run.status).toBe('ok');
    expect(run.points.map((p) => p.workers)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(run.points[2]!.samplesPerSecond).toBeCloseTo((256 / (2 + 2 / 3 + 0.4)) * 1000, 6);
    expect(run.points[0]!.efficiency).toBe(1);
    const none = projectLoom({ ...workload, systems: [] }, micro);
    expect(none).toMatchObject({ status: 'skipped', reason: 'no measured one-worker step split to project from' });
  });
});
