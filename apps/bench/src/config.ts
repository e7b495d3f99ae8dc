import { type MeasureSettings, MEASURE_PRESETS } from './micro/measure.js';
import type { TimingProtocol } from './scaling/protocol.js';
import { WORKLOADS } from './scaling/workloads.js';
import { workerCounts } from './stats.js';

/** The peers the bench knows. */
export const PEERS = ['tfjs-wasm', 'tfjs-cpu', 'pytorch'] as const;
export type PeerName = (typeof PEERS)[number];

/** Everything a run needs to know. */
export interface StudyConfig {
  mode: 'quick' | 'full';
  workers: number[];
  workloads: string[];
  micro: boolean;
  peers: PeerName[];
  protocol: TimingProtocol;
  measure: MeasureSettings;
  /** Largest matmul (in FLOPs) the slow references (Loom's TypeScript kernel, TF.js cpu) run. */
  slowMatmulMaxFlops: number;
  /** Workloads TF.js' pure-JS backend runs (it takes seconds per step on the bigger ones). */
  tfjsCpuWorkloads: string[];
  /** Float32 values per slot in the all-reduce micro-benchmark. */
  allReduceLength: number;
  /** Timed steps of the per-step synchronisation micro-benchmark. */
  syncSteps: number;
  /** Python executables tried for the PyTorch peer. */
  pythons: string[];
  pytorchTimeoutMs: number;
  /** The folder results go to. */
  out: string | null;
  /**
   * Chunks (micro-batches) per batch, the same at every worker count; absent: `chunkCount` of the
   * largest worker count (16, or more for more workers), which the projection assumes.
   */
  chunks?: number;
  /** Only check that steps pass the workers' barrier at every worker count (--check-barrier). */
  checkBarrier?: boolean;
}

/**
 * The presets: `quick` (`pnpm bench`, a few minutes on 2 cores), `full` (`pnpm bench:full`, the
 * whole study) and `smoke` (tests: every code path, one step of everything).
 */
export function preset(name: 'quick' | 'full' | 'smoke', cores: number): StudyConfig {
  const base = {
    workers: workerCounts(cores),
    workloads: WORKLOADS.map((w) => w.id),
    micro: true,
    peers: [...PEERS],
    pythons: process.env['LOOM_BENCH_PYTHON'] ? [process.env['LOOM_BENCH_PYTHON']] : ['python3', '/usr/bin/python3'],
    out: null,
  };
  switch (name) {
    case 'quick':
      return {
        ...base,
        mode: 'quick',
        protocol: { warmupSteps: 30, warmupMs: 2000, steps: 10, minRunMs: 300, timedBatches: 32, repeats: 3, budgetMs: 4000 },
        measure: MEASURE_PRESETS.quick,
        slowMatmulMaxFlops: 2e8,
        tfjsCpuWorkloads: ['W1'],
        allReduceLength: 1 << 20,
        syncSteps: 1000,
        pytorchTimeoutMs: 10 * 60_000,
      };
    case 'full':
      return {
        ...base,
        mode: 'full',
        protocol: { warmupSteps: 5, warmupMs: 3000, steps: 20, minRunMs: 1000, timedBatches: 32, repeats: 5, budgetMs: 60_000 },
        measure: MEASURE_PRESETS.full,
        slowMatmulMaxFlops: Number.POSITIVE_INFINITY,
        tfjsCpuWorkloads: WORKLOADS.map((w) => w.id),
        allReduceLength: 1 << 22,
        syncSteps: 5000,
        pytorchTimeoutMs: 3 * 3600_000,
      };
    case 'smoke':
      return {
        ...base,
        mode: 'quick',
        protocol: { warmupSteps: 1, warmupMs: 0, steps: 1, minRunMs: 0, timedBatches: 4, repeats: 1, budgetMs: 1000 },
        measure: MEASURE_PRESETS.smoke,
        slowMatmulMaxFlops: 0,
        tfjsCpuWorkloads: ['W1'],
        allReduceLength: 1 << 12,
        syncSteps: 2,
        pytorchTimeoutMs: 10 * 60_000,
      };
  }
}
