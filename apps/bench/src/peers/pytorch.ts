import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { keptHeapEnvironment } from '@loom/core';
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

/** The DistributedDataParallel peer's system name. */
export const DDP_SYSTEM = 'pytorch-ddp';

/** A peer script beside this module (src/, or a packed bench), else the source tree's copy beside dist/. */
export function pytorchScript(name: 'pytorch.py' | 'pytorch_ddp.py' = 'pytorch.py'): string {
  for (const rel of [`./${name}`, `../../src/peers/${name}`]) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(`${name} not found beside the bench`);
}

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
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

/** Runs a peer script with a JSON config; its last stdout line is its JSON output. */
async function runScript<T>(python: string, script: string, config: unknown, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<T> {
  const r = await run(python, [script, JSON.stringify(config)], env, timeoutMs);
  const tail = r.stderr.trim().split('\n').slice(-3).join(' ');
  if (r.code !== 0) throw new Error(`${r.code === null ? 'killed or not started' : `exit ${r.code}`}: ${tail}`);
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as T;
  } catch (e) {
    throw new Error(`${(e as Error).message}: ${tail}`);
  }
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

/** Every thread pool torch may use, each read once when its library loads. */
export const THREAD_POOL_VARIABLES = [
  'OMP_NUM_THREADS',
  'OPENBLAS_NUM_THREADS',
  'MKL_NUM_THREADS',
  'VECLIB_MAXIMUM_THREADS',
  'NUMEXPR_NUM_THREADS',
] as const;

/**
 * The environment of one peer process: every thread pool sized to `threads` before the process
 * starts (torch.set_num_threads alone leaves OpenBLAS' or MKL's own pool at one thread per core,
 * which made a "one-thread" PyTorch figure 2.7x too slow), OpenBLAS' core type, if given, and
 * glibc's malloc keeping freed heap as Loom's own process does (`keptHeapEnvironment`). Left as
 * glibc starts, a peer's speed depended on what the process had allocated before: PyTorch's
 * one-thread W1 ran at ~25,000 samples/s in a fresh process and ~117,000 after the matmul
 * micro-benchmarks had freed a few MiB (glibc then raises its mapping threshold), W2 at
 * 4,000–7,000 against ~15,000.
 */
export function pinnedEnv(threads: number, coretype: string | null): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...keptHeapEnvironment() };
  for (const name of THREAD_POOL_VARIABLES) env[name] = String(threads);
  if (coretype === null) delete env['OPENBLAS_CORETYPE'];
  else env['OPENBLAS_CORETYPE'] = coretype;
  return env;
}

/** How the peers' malloc was set, for the report: the variables `pinnedEnv` adds, or none. */
export function peerMallocDetail(): string {
  const vars = Object.entries(keptHeapEnvironment()).map(([k, v]) => `${k}=${v}`);
  return vars.length > 0
    ? `malloc keeps freed heap as Loom does (${vars.join(' ')})`
    : "malloc as glibc starts (LOOM_MALLOC=leave, as Loom's)";
}

function toRuns(out: Pick<ScriptOutput, 'points' | 'errors'>, system: string, workloads: readonly Workload[]): Map<string, SystemRun> {
  const runs = new Map<string, SystemRun>();
  for (const w of workloads) {
    const raw = out.points.filter((p) => p.id === w.id).sort((a, b) => a.threads - b.threads);
    const one = raw.find((p) => p.threads === 1);
    const base = one ? summarize(one.runs).median : undefined;
    const points: ScalingPoint[] = raw.map((p) => {
      const s = summarize(p.runs);
      return {
        workers: p.threads,
        samplesPerSecond: s.median,
        runs: p.runs,
        steps: p.steps,
        iqr: s.iqr,
        ...(base ? { efficiency: efficiency(s.median, p.threads, base) } : {}),
      };
    });
    const errors = out.errors.filter((e) => e.id === w.id);
    const reason = errors.map((e) => `${e.threads} threads: ${e.error}`).join('; ');
    runs.set(
      w.id,
      points.length > 0
        ? { system, status: 'ok', points, ...(reason ? { reason } : {}) }
        : { system, status: 'failed', reason: reason || 'no result', points: [] },
    );
  }
  return runs;
}

/**
 * PyTorch CPU on the workloads, through pytorch.py, at each thread count N in a process of its
 * own whose thread pools are all pinned to N (`pinnedEnv`, and `torch.set_num_threads(N)`), twice:
 * as installed, and with OPENBLAS_CORETYPE=SkylakeX (Debian's OpenBLAS falls back to slow kernels
 * on Xeons it does not recognise; skipped when torch does not use OpenBLAS); then
 * DistributedDataParallel with N single-threaded processes (pytorch_ddp.py). Without a Python that
 * imports torch, all three are skipped.
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
    skipAll(DDP_SYSTEM, 'skipped', found.reason);
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
    // One process per thread count, its pools pinned before start-up; the matmul figures with the first.
    const parts: ScriptOutput[] = [];
    try {
      for (const [i, threads] of o.threads.entries()) {
        parts.push(
          await runScript<ScriptOutput>(
            found.python,
            pytorchScript(),
            { ...config, threads: [threads], matmul: i === 0 ? config.matmul : [] },
            pinnedEnv(threads, v.coretype),
            o.timeoutMs,
          ),
        );
      }
    } catch (e) {
      skipAll(v.system, 'failed', `pytorch.py failed: ${(e as Error).message}`);
      continue;
    }
    if (parts.length === 0) continue;
    const out: ScriptOutput = {
      ...parts[0]!,
      points: parts.flatMap((p) => p.points),
      errors: parts.flatMap((p) => p.errors),
      matmul: parts.flatMap((p) => p.matmul),
    };
    usesOpenblas = out.blas.library.toLowerCase().includes('openblas');
    const blas = `${out.blas.library}${out.blas.corename ? ` (core ${out.blas.corename})` : ''}`;
    const env = v.coretype === null ? '' : `, OPENBLAS_CORETYPE=${v.coretype}`;
    report.peers.push({
      system: v.system,
      status: 'ok',
      detail: `torch ${out.torch} (${found.python}), BLAS ${blas}${env}, threads ${o.threads.join(',')}, ${peerMallocDetail()}`,
    });
    for (const [id, runResult] of toRuns(out, v.system, workloads)) add(id, runResult);
    for (const m of out.matmul) {
      const [a, k, n] = m.shape;
      report.micro.push({
        suite: 'matmul',
        name: matmulName(m.shape),
        backend: `${v.system}, 1 thread`,
        value: (2 * a * k * n) / (m.medianMs * 1e6),
        unit: 'GFLOPS',
        medianMs: m.medianMs,
        samples: m.samples,
      });
    }
  }
  // The data-parallel peer: DistributedDataParallel over one single-threaded process per worker.
  try {
    const env = { ...pinnedEnv(1, null), GLOO_SOCKET_IFNAME: 'lo' };
    const out = await runScript<Pick<ScriptOutput, 'torch' | 'points' | 'errors'>>(
      found.python,
      pytorchScript('pytorch_ddp.py'),
      { workloads, threads: o.threads, protocol: o.protocol },
      env,
      o.timeoutMs,
    );
    report.peers.push({
      system: DDP_SYSTEM,
      status: 'ok',
      detail: `torch ${out.torch} DistributedDataParallel (gloo on 127.0.0.1), one thread per process (${THREAD_POOL_VARIABLES.join(', ')} = 1), processes ${o.threads.join(',')}, ${peerMallocDetail()}`,
    });
    for (const [id, runResult] of toRuns(out, DDP_SYSTEM, workloads)) add(id, runResult);
  } catch (e) {
    skipAll(DDP_SYSTEM, 'failed', `pytorch_ddp.py failed: ${(e as Error).message}`);
  }
  return report;
}
