import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MATMUL_SHAPES, matmulName } from '../micro/matmul.js';
import type { ScalingPoint, SystemRun } from '../report/types.js';
import type { TimingProtocol } from '../scaling/protocol.js';
import type { Workload } from '../scaling/workloads.js';
import { efficiency, summarize } from '../stats.js';
import type { PeerReport } from './tfjs.js';

/** What pytorch.py prints. */
interface ScriptOutput {
  torch: string;
  maxThreads: number;
  blas: { library: string; corename: string | null };
  points: { id: string; threads: number; runs: number[]; steps: number }[];
  matmul: { shape: [number, number, number]; medianMs: number; samples: number }[];
  errors: { id: string; threads: number; error: string }[];
}

/** How the PyTorch peer runs. */
export interface PytorchOptions {
  /** Python executables to try, in order; the first that imports torch runs the peer. */
  pythons: readonly string[];
  threads: readonly number[];
  protocol: TimingProtocol;
  /** Milliseconds per matmul shape (0: no matmul figures). */
  matmulTimeMs: number;
  /** Kill the script after this many milliseconds. */
  timeoutMs: number;
}

/** The two ways the peer runs: as installed, and with OpenBLAS told the core type. */
export const PYTORCH_VARIANTS = [
  { system: 'pytorch', coretype: null },
  { system: 'pytorch-skylakex', coretype: 'SkylakeX' },
] as const;

/** The script beside this module (src/, or a packed bench), else the source tree's copy beside dist/. */
export function pytorchScript(): string {
  for (const rel of ['./pytorch.py', '../../src/peers/pytorch.py']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('pytorch.py not found beside the bench');
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => resolve({ code: null, stdout, stderr: `${stderr}${e.message}` }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The first Python of `pythons` that imports torch, or why none does. */
export async function findTorchPython(pythons: readonly string[]): Promise<{ python: string } | { reason: string }> {
  const tried: string[] = [];
  for (const python of pythons) {
    const r = await run(python, ['-c', 'import torch'], process.env, 60_000);
    if (r.code === 0) return { python };
    const why = r.code === null ? 'not found' : (r.stderr.trim().split('\n').pop() ?? `exit ${r.code}`);
    tried.push(`${python}: ${why}`);
  }
  return { reason: `no Python with torch (${tried.join('; ')})` };
}

function variantEnv(coretype: string | null): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (coretype === null) delete env['OPENBLAS_CORETYPE'];
  else env['OPENBLAS_CORETYPE'] = coretype;
  return env;
}

function toRuns(out: ScriptOutput, system: string, workloads: readonly Workload[]): Map<string, SystemRun> {
  const runs = new Map<string, SystemRun>();
  for (const w of workloads) {
    const raw = out.points.filter((p) => p.id === w.id).sort((a, b) => a.threads - b.threads);
    const one = raw.find((p) => p.threads === 1);
    const base = one ? summarize(one.runs).median : undefined;
    const points: ScalingPoint[] = raw.map((p) => {
      const s = summarize(p.runs);
      return { workers: p.threads, samplesPerSecond: s.median, runs: p.runs, steps: p.steps, iqr: s.iqr, ...(base ? { efficiency: efficiency(s.median, p.threads, base) } : {}) };
    });
    const errors = out.errors.filter((e) => e.id === w.id);
    const reason = errors.map((e) => `${e.threads} threads: ${e.error}`).join('; ');
    runs.set(w.id, points.length > 0 ? { system, status: 'ok', points, ...(reason ? { reason } : {}) } : { system, status: 'failed', reason: reason || 'no result', points: [] });
  }
  return runs;
}

/**
 * PyTorch CPU on the workloads, through pytorch.py, at each thread count
 * (`torch.set_num_threads`), twice: as installed, and with OPENBLAS_CORETYPE=SkylakeX (Debian's
 * OpenBLAS falls back to slow kernels on Xeons it does not recognise). The second run is skipped
 * when torch does not use OpenBLAS. Without a Python that imports torch, both are skipped.
 */
export async function runPytorch(workloads: readonly Workload[], o: PytorchOptions): Promise<PeerReport> {
  const report: PeerReport = { peers: [], runs: new Map(), micro: [] };
  const add = (id: string, run: SystemRun): void => void report.runs.set(id, [...(report.runs.get(id) ?? []), run]);
  const skipAll = (system: string, status: 'skipped' | 'failed', reason: string): void => {
    report.peers.push({ system, status, detail: reason });
    for (const w of workloads) add(w.id, { system, status, reason, points: [] });
  };
  const found = await findTorchPython(o.pythons);
  if ('reason' in found) {
    for (const v of PYTORCH_VARIANTS) skipAll(v.system, 'skipped', found.reason);
    return report;
  }
  const config = {
    workloads,
    threads: o.threads,
    protocol: o.protocol,
    matmul: o.matmulTimeMs > 0 ? MATMUL_SHAPES : [],
    matmulTimeMs: o.matmulTimeMs,
  };
  let usesOpenblas = true;
  for (const v of PYTORCH_VARIANTS) {
    if (v.coretype !== null && !usesOpenblas) {
      skipAll(v.system, 'skipped', 'torch does not use OpenBLAS here, so OPENBLAS_CORETYPE changes nothing');
      continue;
    }
    const r = await run(found.python, [pytorchScript(), JSON.stringify(config)], variantEnv(v.coretype), o.timeoutMs);
    let out: ScriptOutput;
    try {
      if (r.code !== 0) throw new Error(r.code === null ? 'killed or not started' : `exit ${r.code}`);
      out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as ScriptOutput;
    } catch (e) {
      skipAll(v.system, 'failed', `pytorch.py failed (${(e as Error).message}): ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
      continue;
    }
    usesOpenblas = out.blas.library.toLowerCase().includes('openblas');
    const blas = `${out.blas.library}${out.blas.corename ? ` (core ${out.blas.corename})` : ''}`;
    const env = v.coretype === null ? '' : `, OPENBLAS_CORETYPE=${v.coretype}`;
    report.peers.push({ system: v.system, status: 'ok', detail: `torch ${out.torch} (${found.python}), BLAS ${blas}${env}, threads ${o.threads.join(',')}` });
    for (const [id, runResult] of toRuns(out, v.system, workloads)) add(id, runResult);
    for (const m of out.matmul) {
      const [a, k, n] = m.shape;
      report.micro.push({ suite: 'matmul', name: matmulName(m.shape), backend: `${v.system}, 1 thread`, value: (2 * a * k * n) / (m.medianMs * 1e6), unit: 'GFLOPS', medianMs: m.medianMs, samples: m.samples });
    }
  }
  return report;
}
