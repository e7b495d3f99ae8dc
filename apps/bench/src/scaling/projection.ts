import type { MicroResult, ScalingPoint, SystemRun, WorkloadResult } from '../report/types.js';
import { efficiency } from '../stats.js';
import { chunkCount } from './workloads.js';

/** The system id of Loom's projected throughput. */
export const PROJECTED_SYSTEM = 'loom-projected';

/** Core counts the projection covers, beside the measured ones. */
export const PROJECTED_CORES = [1, 2, 4, 8, 16, 32, 64] as const;

/** What the projection of one workload rests on, all measured in the same run. */
export interface ProjectionBasis {
  /** Forward + backward milliseconds per sample on one worker. */
  computePerSample: number;
  /** Reduce + update milliseconds of a step on one worker. */
  reduceUpdate: number;
  /** Sync milliseconds per step ≈ syncBase + syncPerDoubling · log2(workers), fitted to the measured points. */
  syncBase: number;
  syncPerDoubling: number;
  /** The all-reduce's GB/s on one thread and the most any thread count reached (null: no figure). */
  bandwidth: { one: number; most: number } | null;
}

/** Least-squares line through (log2 workers, sync ms); flat with one point. */
function fitSync(points: readonly ScalingPoint[]): { base: number; perDoubling: number } {
  const xs = points.map((p) => Math.log2(p.workers));
  const ys = points.map((p) => p.split!.sync);
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : Math.max(0, xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / sxx);
  return { base: Math.max(0, my - slope * mx), perDoubling: slope };
}

/** The basis of a workload's projection, or null without a measured one-worker split. */
export function projectionBasis(w: WorkloadResult, micro: readonly MicroResult[]): ProjectionBasis | null {
  const loom = w.systems.find((s) => s.system === 'loom' && s.status === 'ok');
  const measured = (loom?.points ?? []).filter((p) => p.split);
  const one = measured.find((p) => p.workers === 1);
  if (!one?.split) return null;
  const reduce = micro.filter((m) => m.suite === 'all-reduce' && m.backend !== 'js');
  const oneThread = reduce.find((m) => m.workers === 1);
  const sync = fitSync(measured);
  return {
    computePerSample: one.split.compute / w.batchSize,
    reduceUpdate: one.split.reduceUpdate,
    syncBase: sync.base,
    syncPerDoubling: sync.perDoubling,
    bandwidth: oneThread ? { one: oneThread.value, most: Math.max(...reduce.map((m) => m.value)) } : null,
  };
}

/**
 * Milliseconds of one step at `workers` workers: the slowest worker's chunks (⌈chunks / workers⌉
 * of them, chunks as the study cuts batches), the reduce + update split over the workers until the
 * memory bandwidth the all-reduce reached caps it, and the fitted sync cost.
 */
export function projectedStepMs(b: ProjectionBasis, batchSize: number, workers: number): number {
  const chunks = chunkCount(workers);
  const compute = Math.ceil(chunks / workers) * (batchSize / chunks) * b.computePerSample;
  const bandwidthFloor = b.bandwidth ? (b.reduceUpdate * b.bandwidth.one) / b.bandwidth.most : 0;
  const reduceUpdate = Math.max(b.reduceUpdate / workers, bandwidthFloor);
  const sync = b.syncBase + b.syncPerDoubling * Math.log2(workers);
  return compute + reduceUpdate + sync;
}

/** Loom's projected throughput on a workload at PROJECTED_CORES, as a system run to draw beside the measured points. */
export function projectLoom(w: WorkloadResult, micro: readonly MicroResult[]): SystemRun {
  const basis = projectionBasis(w, micro);
  if (!basis)
    return { system: PROJECTED_SYSTEM, status: 'skipped', reason: 'no measured one-worker step split to project from', points: [] };
  const rate = (n: number): number => (w.batchSize / projectedStepMs(basis, w.batchSize, n)) * 1000;
  const base = rate(1);
  const points = PROJECTED_CORES.map((n): ScalingPoint => ({
    workers: n,
    samplesPerSecond: rate(n),
    runs: [],
    steps: 0,
    iqr: 0,
    efficiency: efficiency(rate(n), n, base),
  }));
  return { system: PROJECTED_SYSTEM, status: 'ok', points };
}
