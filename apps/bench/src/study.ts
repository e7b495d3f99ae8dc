import { describeKernels, kernelInfo } from '@loom/core';
import type { StudyConfig } from './config.js';
import { machineInfo } from './machine.js';
import { allReduceSuite } from './micro/allreduce.js';
import { convSuite } from './micro/conv.js';
import { crossEntropySuite } from './micro/loss.js';
import { matmulSuite } from './micro/matmul.js';
import { optimizerSuite } from './micro/optim.js';
import { syncSuite } from './micro/sync.js';
import { runPytorch } from './peers/pytorch.js';
import { type PeerReport, runTfjs, type TfjsBackend } from './peers/tfjs.js';
import type { BenchResults, MicroResult, WorkloadResult } from './report/types.js';
import { runLoom } from './scaling/loom.js';
import { PROJECTED_SYSTEM, projectLoom } from './scaling/projection.js';
import { chunkCount, microBatchOf, parameterCount, selectWorkloads } from './scaling/workloads.js';

/** Progress lines go here (stderr from the CLI, nowhere in tests). */
export type Log = (line: string) => void;

/** Chunks per batch in this run: --chunks, or the default for its largest worker count. */
function chunksOf(c: StudyConfig): number {
  return c.chunks ?? chunkCount(Math.max(...c.workers));
}

async function microBenchmarks(c: StudyConfig, backend: string, log: Log): Promise<MicroResult[]> {
  const micro: MicroResult[] = [];
  const suites: [string, () => Promise<MicroResult[]>][] = [
    ['matmul', () => matmulSuite(c.measure, c.slowMatmulMaxFlops)],
    ['conv2d', () => convSuite(c.measure, backend)],
    ['cross-entropy', () => crossEntropySuite(c.measure, backend)],
    ['optimizers', () => optimizerSuite(c.measure, backend)],
    ['all-reduce', () => allReduceSuite(c.measure, c.workers, { length: c.allReduceLength, slots: chunksOf(c) })],
    ['step sync', () => syncSuite(c.workers, c.syncSteps, c.protocol.warmupMs)],
  ];
  for (const [name, suite] of suites) {
    log(`micro: ${name}`);
    micro.push(...(await suite()));
  }
  return micro;
}

async function peerReports(c: StudyConfig, workloads: ReturnType<typeof selectWorkloads>, log: Log): Promise<PeerReport[]> {
  const reports: PeerReport[] = [];
  const backends = (['wasm', 'cpu'] as const).filter((b) => c.peers.includes(`tfjs-${b}`));
  if (backends.length > 0) {
    log(`peers: TensorFlow.js (${backends.join(', ')})`);
    const all = workloads.map((w) => w.id);
    const workloadsOf: Record<TfjsBackend, readonly string[]> = { wasm: all, cpu: c.tfjsCpuWorkloads };
    reports.push(
      await runTfjs(workloads, {
        backends,
        workloads: workloadsOf,
        skipReason: `the pure-JS backend takes seconds per step here; a ${c.mode} run gives it ${c.tfjsCpuWorkloads.join(', ') || 'no workload'} only (bench:full runs all)`,
        protocol: c.protocol,
        micro: c.micro ? c.measure : null,
        matmulMaxFlops: { wasm: Number.POSITIVE_INFINITY, cpu: c.slowMatmulMaxFlops },
      }),
    );
  }
  if (c.peers.includes('pytorch')) {
    log('peers: PyTorch');
    reports.push(
      await runPytorch(workloads, {
        pythons: c.pythons,
        threads: c.workers,
        protocol: c.protocol,
        matmulTimeMs: c.micro ? c.measure.time : 0,
        timeoutMs: c.pytorchTimeoutMs,
      }),
    );
  }
  return reports;
}

/**
 * A whole bench run: each workload on Loom at every worker count, then the micro-benchmarks, then
 * the peers on the same workloads. Returns what results.json holds.
 */
export async function runStudy(c: StudyConfig, command: string, log: Log = () => {}): Promise<BenchResults> {
  const start = performance.now();
  const date = new Date().toISOString();
  const machine = machineInfo();
  const workloads = selectWorkloads(c.workloads);
  const info = kernelInfo();
  const backend = info.backend;
  const chunks = chunksOf(c);
  const scaling: WorkloadResult[] = [];
  for (const w of workloads) {
    log(`scaling: ${w.id} ${w.description}`);
    const microBatch = microBatchOf(w, chunks);
    const options = { workers: c.workers, microBatch, protocol: c.protocol, seed: 0 };
    const systems = [await runLoom(w, options, log)];
    // With a BLAS behind matmul, the WebAssembly matmul path too, in the same run.
    if (info.blas) systems.push(await runLoom(w, { ...options, system: 'loom-wasm' }, log));
    // Where the study's chunks outnumber this run's workers, the batch in as many chunks as the
    // largest worker count too: the same arithmetic at each of its counts, in bigger products.
    const few = Math.max(...c.workers);
    if (c.chunks === undefined && few < chunks) {
      systems.push(await runLoom(w, { ...options, microBatch: microBatchOf(w, few), system: 'loom-few-chunks' }, log));
    }
    scaling.push({ id: w.id, description: w.description, batchSize: w.batchSize, microBatch, parameters: parameterCount(w), systems });
  }
  // After the scaling study: run first, the micro-benchmarks left this process slower at training
  // (one worker's W1 at 27,585 samples/s and 1.38 cores busy, against ~60,000 and 1.03 without).
  const micro = c.micro ? await microBenchmarks(c, backend, log) : [];
  const peers = await peerReports(c, workloads, log);
  for (const report of peers) {
    micro.push(...report.micro);
    for (const w of scaling) w.systems.push(...(report.runs.get(w.id) ?? []));
  }
  // Where the measured costs lead at 4–64 cores, drawn beside the measured points.
  for (const w of scaling) {
    w.systems.push(
      c.chunks === undefined
        ? projectLoom(w, micro)
        : {
            system: PROJECTED_SYSTEM,
            status: 'skipped',
            reason: `--chunks ${c.chunks}: the projection assumes the default chunks`,
            points: [],
          },
    );
  }
  return {
    schema: 'loom-bench-v1',
    date,
    command,
    machine,
    kernels: describeKernels(info),
    settings: {
      mode: c.mode,
      workers: c.workers,
      warmupSteps: c.protocol.warmupSteps,
      warmupMs: c.protocol.warmupMs,
      steps: c.protocol.steps,
      minRunMs: c.protocol.minRunMs,
      timedBatches: c.protocol.timedBatches,
      repeats: c.protocol.repeats,
      workloads: workloads.map((w) => w.id),
      micro: c.micro,
      peers: c.peers,
    },
    micro,
    scaling,
    peers: peers.flatMap((r) => r.peers),
    seconds: (performance.now() - start) / 1000,
  };
}
