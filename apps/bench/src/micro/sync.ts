import { DataParallelTrainer, type TableDataset, type TrainerOptions, datasetFromArrays } from '@loom/parallel';
import type { MicroResult } from '../report/types.js';
import { median } from '../stats.js';

/**
 * A trainer of a one-weight model (Linear(1, 1)) with one one-sample micro-batch per worker, and
 * an epoch of `steps` steps for it: nearly all of such a step is the trainer's fixed cost.
 */
export function oneWeightRun(
  workers: number,
  steps: number,
  options: Pick<TrainerOptions, 'dispatch' | 'stepTimeout'>,
): { data: TableDataset; trainer: DataParallelTrainer } {
  const n = workers * steps;
  const data = datasetFromArrays({
    features: Float32Array.from({ length: n }, (_, i) => i / n),
    featureDim: 1,
    targets: new Float32Array(n),
    targetShape: [1],
    targetKind: 'regression',
  });
  const trainer = new DataParallelTrainer({
    model: { builtin: 'mlp', sizes: [1, 1] },
    loss: { name: 'MSELoss' },
    optimizer: { name: 'SGD', options: { lr: 1e-3 } },
    workers,
    batchSize: workers,
    microBatch: 1,
    ...options,
  });
  return { data, trainer };
}

/**
 * The trainer's fixed cost per step at each worker count: whole steps of a one-weight model
 * (Linear(1, 1)) with one one-sample micro-batch per worker, so that nearly all of a step is
 * dispatching the shard and slice rounds and waiting for them — for both of the trainer's
 * dispatch modes (persistent Atomics-woken loops, piscina tasks). Like every other timing, it is
 * the steady state: epochs of `steps` steps warm the trainer up (at least one, and more until
 * `warmupMs` have passed) before the timed epoch.
 */
export async function syncSuite(workerCounts: readonly number[], steps: number, warmupMs: number): Promise<MicroResult[]> {
  const results: MicroResult[] = [];
  for (const dispatch of ['persistent', 'tasks'] as const) {
    for (const workers of workerCounts) {
      const { data, trainer } = oneWeightRun(workers, steps, { dispatch });
      try {
        const start = performance.now();
        do await trainer.fit(data, { epochs: 1 });
        while (performance.now() - start < warmupMs);
        const totals: number[] = [];
        await trainer.fit(data, { epochs: 1, onStep: (i) => totals.push(i.timings.total) });
        const ms = median(totals);
        results.push({
          suite: 'step sync',
          name: 'Linear(1,1), 1 sample per worker',
          backend: dispatch === 'tasks' ? 'piscina tasks' : 'persistent loops',
          workers,
          value: ms * 1000,
          unit: 'µs',
          medianMs: ms,
          samples: totals.length,
        });
      } finally {
        await trainer.close();
      }
    }
  }
  return results;
}
