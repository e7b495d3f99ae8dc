import { describeKernels } from '@loom/core';
import { type TableDataset, DataParallelTrainer, datasetFromArrays, type ModelSpec, type StepInfo } from '@loom/parallel';
import type { ScalingPoint, StepSplit, SystemRun } from '../report/types.js';
import { coresUsed } from '../machine.js';
import { efficiency, median, quantile, samplesPerSecond, summarize } from '../stats.js';
import { stepsWithinBudget, type TimingProtocol, warmingUp } from './protocol.js';
import { syntheticData, type Workload } from './workloads.js';

/**
 * Loom's systems in a run: 'loom' (the study's chunks, the BLAS this process found); 'loom-wasm'
 * (the same with the workers under LOOM_BLAS=off: matmul on the WebAssembly kernel, where a BLAS
 * was found); 'loom-few-chunks' (fewest chunks: the batch cut into as many as the run's largest
 * worker count, where the study's chunks are more — the same arithmetic at each of its counts, in
 * bigger products).
 */
export type LoomSystem = 'loom' | 'loom-wasm' | 'loom-few-chunks';

/** How Loom's scaling runs are set up. */
export interface LoomScalingOptions {
  workers: readonly number[];
  /** Samples per micro-batch, the same at every worker count. */
  microBatch: number;
  protocol: TimingProtocol;
  seed: number;
  /** Which of Loom's systems this is (default 'loom'); 'loom-wasm' runs the workers with LOOM_BLAS=off. */
  system?: LoomSystem;
}

/**
 * Runs `measure` with LOOM_BLAS=off in this process's environment when `off`. Worker threads read
 * LOOM_BLAS as they start, from the copy of process.env they are given when created, and the
 * trainer creates them at its first `fit`, not in its constructor: so the variable stays set until
 * the trainer is closed (this thread's kernels were chosen when it loaded Loom and do not change).
 */
async function withBlasOff<T>(off: boolean, measure: () => Promise<T>): Promise<T> {
  if (!off) return measure();
  const saved = process.env['LOOM_BLAS'];
  process.env['LOOM_BLAS'] = 'off';
  try {
    return await measure();
  } finally {
    if (saved === undefined) delete process.env['LOOM_BLAS'];
    else process.env['LOOM_BLAS'] = saved;
  }
}

/**
 * Throws unless the workers ran the matmul path the system measures: this process's kernels for
 * 'loom', others (its WebAssembly kernel, without the BLAS this process found) for 'loom-wasm'.
 */
function checkWorkerKernels(kernels: string | null, blasOff: boolean): void {
  const here = describeKernels();
  if (kernels === null) throw new Error('the trainer ran no step, so its workers did not say what they ran');
  if (blasOff ? kernels === here : kernels !== here) {
    const wanted = blasOff ? `not this process's '${here}' (LOOM_BLAS=off)` : `this process's '${here}'`;
    throw new Error(`the workers ran '${kernels}', ${wanted}: the point would measure the wrong matmul path`);
  }
}

/** The trainer's model spec of a workload. */
export function modelSpec(w: Workload): ModelSpec {
  switch (w.model.kind) {
    case 'mlp':
      return { builtin: 'mlp', sizes: w.model.sizes };
    case 'cnn':
      return { builtin: 'cnn', inputShape: w.model.inputShape, numClasses: w.model.numClasses };
    case 'char-transformer': {
      const { kind: _kind, ...sizes } = w.model;
      return { builtin: 'char-transformer', ...sizes };
    }
  }
}

/** A synthetic dataset of exactly `batches` full batches of the workload. */
export function workloadDataset(w: Workload, batches: number, seed: number): TableDataset {
  const { features, targets } = syntheticData(w, batches, seed);
  return datasetFromArrays({
    features,
    featureShape: w.featureShape,
    targets,
    targetKind: 'class',
    targetShape: w.targetShape,
    numClasses: w.numClasses,
  });
}

/** Median of each phase over the timed steps, and the 90th percentile of their totals. */
export function medianSplit(steps: readonly StepInfo['timings'][]): StepSplit {
  const totals = steps.map((t) => t.total);
  return {
    compute: median(steps.map((t) => t.compute)),
    reduceUpdate: median(steps.map((t) => t.reduceUpdate)),
    sync: median(steps.map((t) => t.sync)),
    total: median(totals),
    p90: quantile(totals, 0.9),
  };
}

/**
 * One worker count: a fresh trainer, `warmupSteps` × workers untimed steps on their own data
 * (again until `warmupMs` have passed), then `repeats` runs of the protocol's steps (a fit
 * over a dataset of at most the protocol's `timedBatches` batches). A run's throughput is its samples over
 * the sum of its steps' times as the trainer measures them.
 *
 * The warm-up grows with the workers because each worker runs 1/N of a step's chunks, and V8
 * optimises a worker's code after it has run often enough: with 30 steps, two workers were still
 * compiling (on the same two cores) when the timed steps began, and half of those steps took as
 * long as a one-worker step (W1: 6.75 ms of compute against 3.1 ms once warm).
 */
function measureWorkers(w: Workload, workers: number, o: LoomScalingOptions): Promise<Omit<ScalingPoint, 'efficiency'>> {
  const blasOff = o.system === 'loom-wasm';
  return withBlasOff(blasOff, () => measureTrainer(w, workers, o, blasOff));
}

async function measureTrainer(
  w: Workload,
  workers: number,
  o: LoomScalingOptions,
  blasOff: boolean,
): Promise<Omit<ScalingPoint, 'efficiency'>> {
  const trainer = new DataParallelTrainer({
    model: modelSpec(w),
    loss: { name: 'CrossEntropyLoss' },
    optimizer: { name: 'Adam', options: { lr: 1e-3 } },
    workers,
    batchSize: w.batchSize,
    microBatch: o.microBatch,
    seed: o.seed,
  });
  try {
    let last = 0;
    const warmup = workloadDataset(w, Math.max(1, o.protocol.warmupSteps * workers), o.seed + 1);
    const start = performance.now();
    let done = 0;
    do {
      const warm = await trainer.fit(warmup, { epochs: 1, onStep: (i) => (last = i.timings.total) });
      checkWorkerKernels(warm.kernels, blasOff);
      done += warmup.length / w.batchSize;
    } while (warmingUp({ ...o.protocol, warmupSteps: o.protocol.warmupSteps * workers }, done, start));
    const wanted = o.protocol.warmupSteps > 0 ? stepsWithinBudget(o.protocol, last) : o.protocol.steps;
    // A run of many fast steps goes over the same batches several times (epochs) rather than
    // holding them all.
    const batches = Math.min(wanted, o.protocol.timedBatches);
    const epochs = Math.ceil(wanted / batches);
    const steps = epochs * batches;
    const timed = workloadDataset(w, batches, o.seed + 2);
    const runs: number[] = [];
    const all: StepInfo['timings'][] = [];
    const cores = coresUsed();
    for (let r = 0; r < o.protocol.repeats; r++) {
      let samples = 0;
      let ms = 0;
      await trainer.fit(timed, {
        epochs,
        onStep: (i) => {
          samples += i.samples;
          ms += i.timings.total;
          all.push(i.timings);
        },
      });
      runs.push(samplesPerSecond(samples, ms));
    }
    const s = summarize(runs);
    return { workers, samplesPerSecond: s.median, runs, steps, iqr: s.iqr, split: medianSplit(all), cores: cores() };
  } finally {
    await trainer.close();
  }
}

/**
 * Loom's data-parallel trainer on one workload at each worker count (Adam lr 1e-3, softmax
 * cross-entropy), with efficiency against its own one-worker point.
 */
export async function runLoom(w: Workload, o: LoomScalingOptions, log: (line: string) => void = () => {}): Promise<SystemRun> {
  const system = o.system ?? 'loom';
  const points: Omit<ScalingPoint, 'efficiency'>[] = [];
  const failures: string[] = [];
  for (const n of o.workers) {
    try {
      const p = await measureWorkers(w, n, o);
      points.push(p);
      log(`  ${system} ${w.id} ×${n}: ${Math.round(p.samplesPerSecond)} samples/s`);
    } catch (e) {
      failures.push(`${n} workers: ${(e as Error).message}`);
    }
  }
  const base = points.find((p) => p.workers === 1)?.samplesPerSecond;
  const withEfficiency: ScalingPoint[] = points.map((p) =>
    base ? { ...p, efficiency: efficiency(p.samplesPerSecond, p.workers, base) } : p,
  );
  const reason = failures.length > 0 ? { reason: failures.join('; ') } : {};
  const microBatch = system === 'loom-few-chunks' ? { microBatch: o.microBatch } : {};
  return { system, status: points.length > 0 ? 'ok' : 'failed', ...reason, ...microBatch, points: withEfficiency };
}
