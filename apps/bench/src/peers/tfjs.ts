import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TfModule from '@tensorflow/tfjs';
import { measure, type MeasureSettings } from '../micro/measure.js';
import { MATMUL_SHAPES, matmulName } from '../micro/matmul.js';
import type { MicroResult, PeerInfo, ScalingPoint, SystemRun } from '../report/types.js';
import { type TimingProtocol, timeSteps } from '../scaling/protocol.js';
import { syntheticData, type Workload } from '../scaling/workloads.js';
import { summarize } from '../stats.js';

type Tf = typeof TfModule;

/** The TensorFlow.js backends this bench runs. */
export type TfjsBackend = 'cpu' | 'wasm';

/** Which backends run, on which workloads, and how much of the matmul suite. */
export interface TfjsOptions {
  backends: readonly TfjsBackend[];
  /** Workload ids each backend runs; the others are reported as skipped with `skipReason`. */
  workloads: Readonly<Record<TfjsBackend, readonly string[]>>;
  skipReason: string;
  protocol: TimingProtocol;
  /** Matmul micro-benchmark settings; matmuls above `matmulMaxFlops` are left out per backend. */
  micro: MeasureSettings | null;
  matmulMaxFlops: Readonly<Record<TfjsBackend, number>>;
}

/** What the TF.js peer produced: its status per backend, its runs per workload, its matmuls. */
export interface PeerReport {
  peers: PeerInfo[];
  runs: Map<string, SystemRun[]>;
  micro: MicroResult[];
}

/**
 * The .wasm files of @tensorflow/tfjs-backend-wasm: beside the running file in a packed bench
 * (`tfjs-wasm/`), else in the installed package. Returned with a trailing slash, as
 * `setWasmPaths` wants a prefix.
 */
export function tfjsWasmDir(): string {
  const packed = fileURLToPath(new URL('./tfjs-wasm/', import.meta.url));
  if (existsSync(packed)) return packed;
  const require = createRequire(import.meta.url);
  return `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`;
}

async function loadTfjs(): Promise<Tf> {
  const tf = await import('@tensorflow/tfjs');
  // Production mode turns off the debug checks and the "install tfjs-node" banner.
  tf.enableProdMode();
  return tf;
}

async function useBackend(tf: Tf, backend: TfjsBackend): Promise<void> {
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(tfjsWasmDir());
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  await tf.ready();
}

/** The workload's network in TF.js layers (NHWC images), as Loom and PyTorch build it. */
function buildModel(tf: Tf, w: Workload): TfModule.Sequential {
  const model = tf.sequential();
  if (w.model.kind === 'mlp') {
    const sizes = w.model.sizes;
    for (let i = 1; i < sizes.length; i++) {
      const last = i === sizes.length - 1;
      model.add(
        tf.layers.dense({ units: sizes[i]!, activation: last ? 'linear' : 'relu', ...(i === 1 ? { inputShape: [sizes[0]!] } : {}) }),
      );
    }
    return model;
  }
  if (w.model.kind !== 'cnn') throw new Error(`${w.id}: TF.js builds the MLP and CNN workloads only`);
  const [c, h, wd] = w.model.inputShape;
  model.add(tf.layers.conv2d({ inputShape: [h, wd, c], filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 5, padding: 'valid', activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 120, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 84, activation: 'relu' }));
  model.add(tf.layers.dense({ units: w.model.numClasses }));
  return model;
}

/** Times Adam training steps of one workload on the current backend, in samples per second. */
async function trainWorkload(tf: Tf, w: Workload, protocol: TimingProtocol): Promise<ScalingPoint> {
  const batches = Math.max(1, Math.min(protocol.steps, 4));
  const data = syntheticData(w, batches, 1);
  const shape =
    w.model.kind === 'cnn' ? [w.batchSize, w.featureShape[1]!, w.featureShape[2]!, w.featureShape[0]!] : [w.batchSize, ...w.featureShape];
  const per = w.batchSize * w.featureShape.reduce((a, b) => a * b, 1);
  const xs = Array.from({ length: batches }, (_, i) => tf.tensor(data.features.subarray(i * per, (i + 1) * per), shape));
  const ys = Array.from({ length: batches }, (_, i) =>
    tf.tidy(() => tf.oneHot(tf.tensor1d(data.targets.subarray(i * w.batchSize, (i + 1) * w.batchSize), 'int32'), w.numClasses).toFloat()),
  );
  const model = buildModel(tf, w);
  const optimizer = tf.train.adam(1e-3);
  let i = 0;
  const step = (): void => {
    const k = i++ % batches;
    const cost = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(ys[k]!, model.apply(xs[k]!, { training: true }) as TfModule.Tensor) as TfModule.Scalar,
      true,
    );
    // Reading the loss waits for the step to finish, as Loom's and PyTorch's steps do.
    cost?.dataSync();
    cost?.dispose();
  };
  try {
    const { runs, steps } = await timeSteps(step, w.batchSize, protocol);
    const s = summarize(runs);
    return { workers: 1, samplesPerSecond: s.median, runs, steps, iqr: s.iqr, efficiency: 1 };
  } finally {
    model.dispose();
    optimizer.dispose();
    tf.dispose([...xs, ...ys]);
  }
}

async function matmuls(tf: Tf, backend: TfjsBackend, settings: MeasureSettings, maxFlops: number): Promise<MicroResult[]> {
  const results: MicroResult[] = [];
  for (const shape of MATMUL_SHAPES) {
    const [m, k, n] = shape;
    const flops = 2 * m * k * n;
    if (flops > maxFlops) continue;
    const a = tf.randomNormal([m, k]);
    const b = tf.randomNormal([k, n]);
    const r = await measure(`tfjs-${backend} matmul`, () => tf.tidy(() => tf.matMul(a, b).dataSync()), settings);
    tf.dispose([a, b]);
    results.push({
      suite: 'matmul',
      name: matmulName(shape),
      backend: `tfjs-${backend}`,
      value: flops / (r.medianMs * 1e6),
      unit: 'GFLOPS',
      ...r,
    });
  }
  return results;
}

/**
 * TensorFlow.js (pure-JS 'cpu' and WebAssembly 'wasm' backends) on the workloads, in this
 * process. Under Node both run on one thread (tfjs-backend-wasm disables its threaded build in
 * Node), so each has a single point. A backend that cannot load is reported as failed.
 */
export async function runTfjs(workloads: readonly Workload[], o: TfjsOptions): Promise<PeerReport> {
  const report: PeerReport = { peers: [], runs: new Map(), micro: [] };
  const add = (id: string, run: SystemRun): void => void report.runs.set(id, [...(report.runs.get(id) ?? []), run]);
  let tf: Tf;
  try {
    tf = await loadTfjs();
  } catch (e) {
    const reason = `@tensorflow/tfjs did not load: ${(e as Error).message}`;
    for (const backend of o.backends) {
      report.peers.push({ system: `tfjs-${backend}`, status: 'failed', detail: reason });
      for (const w of workloads) add(w.id, { system: `tfjs-${backend}`, status: 'failed', reason, points: [] });
    }
    return report;
  }
  for (const backend of o.backends) {
    const system = `tfjs-${backend}`;
    try {
      await useBackend(tf, backend);
    } catch (e) {
      const reason = `backend did not start: ${(e as Error).message}`;
      report.peers.push({ system, status: 'failed', detail: reason });
      for (const w of workloads) add(w.id, { system, status: 'failed', reason, points: [] });
      continue;
    }
    report.peers.push({ system, status: 'ok', detail: `@tensorflow/tfjs ${tf.version.tfjs}, backend '${backend}', 1 thread` });
    if (o.micro) report.micro.push(...(await matmuls(tf, backend, o.micro, o.matmulMaxFlops[backend])));
    for (const w of workloads) {
      if (w.model.kind === 'char-transformer') {
        add(w.id, {
          system,
          status: 'skipped',
          reason: 'TF.js layers have no multi-head attention layer to build the same transformer from',
          points: [],
        });
        continue;
      }
      if (!o.workloads[backend].includes(w.id)) {
        add(w.id, { system, status: 'skipped', reason: o.skipReason, points: [] });
        continue;
      }
      try {
        add(w.id, { system, status: 'ok', points: [await trainWorkload(tf, w, o.protocol)] });
      } catch (e) {
        add(w.id, { system, status: 'failed', reason: (e as Error).message, points: [] });
      }
    }
  }
  return report;
}
