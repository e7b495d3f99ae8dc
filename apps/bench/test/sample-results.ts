import type { BenchResults } from '../src/report/types.js';

/** A small hand-written result: two workloads, Loom at 1 and 2 workers, one peer ok, one skipped. */
export function sampleResults(): BenchResults {
  return {
    schema: 'loom-bench-v1',
    date: '2025-11-27T08:00:00.000Z',
    command: 'loom-bench --quick',
    machine: {
      host: 'test box',
      platform: 'linux',
      arch: 'x64',
      cpuModel: 'Test CPU',
      cores: 2,
      memoryGiB: 8,
      loadAverage: 0.1,
      node: '20.19.0',
      v8: '11.3',
    },
    kernels: 'wasm-simd',
    settings: {
      mode: 'quick',
      workers: [1, 2],
      warmupSteps: 1,
      steps: 4,
      repeats: 3,
      workloads: ['W1', 'W3'],
      micro: true,
      peers: ['tfjs-wasm', 'pytorch'],
    },
    micro: [{ suite: 'matmul', name: '256×784·784×256', backend: 'wasm-simd', value: 30.5, unit: 'GFLOPS', medianMs: 3.37, samples: 100 }],
    scaling: [
      {
        id: 'W1',
        description: 'MLP 784-256-128-10',
        batchSize: 256,
        microBatch: 16,
        parameters: 235146,
        systems: [
          {
            system: 'loom',
            status: 'ok',
            points: [
              {
                workers: 1,
                samplesPerSecond: 10000,
                runs: [9900, 10000, 10100],
                steps: 4,
                iqr: 100,
                efficiency: 1,
                split: { compute: 20, reduceUpdate: 4, sync: 1.6, total: 25.6, p90: 28.16 },
                cores: { own: 1.01, others: 0.03 },
              },
              {
                workers: 2,
                samplesPerSecond: 18000,
                runs: [18000, 17900, 18100],
                steps: 4,
                iqr: 100,
                efficiency: 0.9,
                split: { compute: 11, reduceUpdate: 2, sync: 1.2, total: 14.2 },
                cores: { own: 1.46, others: 0.61 },
              },
            ],
          },
          {
            system: 'tfjs-wasm',
            status: 'ok',
            points: [{ workers: 1, samplesPerSecond: 4000, runs: [4000], steps: 4, iqr: 0, efficiency: 1 }],
          },
          { system: 'pytorch', status: 'skipped', reason: 'python3 has no torch module', points: [] },
        ],
      },
      {
        id: 'W3',
        description: 'LeNet-style CNN on 1×28×28',
        batchSize: 128,
        microBatch: 8,
        parameters: 61706,
        systems: [
          {
            system: 'loom',
            status: 'ok',
            points: [
              {
                workers: 1,
                samplesPerSecond: 2000,
                runs: [2000],
                steps: 4,
                iqr: 0,
                efficiency: 1,
                split: { compute: 60, reduceUpdate: 1, sync: 3, total: 64 },
              },
              {
                workers: 2,
                samplesPerSecond: 3800,
                runs: [3800],
                steps: 4,
                iqr: 0,
                efficiency: 0.95,
                split: { compute: 31, reduceUpdate: 0.6, sync: 2, total: 33.6 },
              },
            ],
          },
        ],
      },
    ],
    peers: [
      { system: 'tfjs-wasm', status: 'ok', detail: '@tensorflow/tfjs 4.22.0, 1 thread' },
      { system: 'pytorch', status: 'skipped', detail: 'python3 has no torch module' },
    ],
    seconds: 42,
  };
}
