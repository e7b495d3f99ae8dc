import { formatFigure, formatPercent } from './format.js';
import type { BenchResults, MicroResult, ScalingPoint, SystemRun, WorkloadResult } from './types.js';

/** Display names of the systems, in table order. */
const SYSTEM_LABELS: Record<string, string> = {
  loom: 'Loom',
  'loom-wasm': 'Loom, LOOM_BLAS=off',
  'loom-few-chunks': 'Loom, fewest chunks',
  'tfjs-wasm': 'TF.js wasm',
  'tfjs-cpu': 'TF.js cpu',
  pytorch: 'PyTorch',
  'pytorch-skylakex': 'PyTorch, OPENBLAS_CORETYPE=SkylakeX',
  'pytorch-ddp': 'PyTorch DDP (1 thread/process)',
  'loom-projected': 'Loom, projected',
};

/** The label a table or chart shows for a system id. */
export function systemLabel(system: string): string {
  return SYSTEM_LABELS[system] ?? system;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]): string {
  const rule = header.map((_, i) => ((align?.[i] ?? 'r') === 'l' ? '---' : '---:'));
  return [row(header), row(rule), ...rows.map(row)].join('\n');
}

function pointCell(point: ScalingPoint | undefined): string {
  if (!point) return '—';
  const eff = point.efficiency === undefined ? '' : ` (${formatPercent(point.efficiency)})`;
  return `${formatFigure(point.samplesPerSecond)}${eff}`;
}

/** One workload: a row per worker count, Loom's step split, and a column per peer. */
function workloadTable(w: WorkloadResult): string {
  const loom = w.systems.find((s) => s.system === 'loom');
  const peers = w.systems.filter((s) => s.system !== 'loom' && s.status === 'ok');
  const counts = [...new Set(w.systems.flatMap((s) => s.points.map((p) => p.workers)))].sort((a, b) => a - b);
  const header = [
    'workers',
    'Loom samples/s',
    'efficiency',
    'compute ms',
    'reduce+update ms',
    'sync ms',
    'p90 / median step',
    'cores: Loom / others',
    ...peers.map((p) => `${systemLabel(p.system)}${p.microBatch === undefined ? '' : ` (micro-batch ${p.microBatch})`} samples/s (eff.)`),
  ];
  const rows = counts.map((n) => {
    const lp = loom?.points.find((p) => p.workers === n);
    return [
      String(n),
      lp ? formatFigure(lp.samplesPerSecond) : '—',
      lp?.efficiency === undefined ? '—' : formatPercent(lp.efficiency),
      lp?.split ? formatFigure(lp.split.compute) : '—',
      lp?.split ? formatFigure(lp.split.reduceUpdate) : '—',
      lp?.split ? formatFigure(lp.split.sync) : '—',
      lp?.split?.p90 === undefined ? '—' : `${(lp.split.p90 / lp.split.total).toFixed(2)}×`,
      lp?.cores === undefined ? '—' : `${lp.cores.own.toFixed(2)} / ${lp.cores.others.toFixed(2)}`,
      ...peers.map((p) => pointCell(p.points.find((q) => q.workers === n))),
    ];
  });
  const notes = w.systems
    .filter((s) => s.status !== 'ok')
    .map((s: SystemRun) => `- ${systemLabel(s.system)}: ${s.status} — ${s.reason ?? 'no reason given'}`);
  const title = `### ${w.id}: ${w.description} (batch ${w.batchSize}, micro-batch ${w.microBatch}, ${w.parameters.toLocaleString('en-US')} parameters)`;
  return [title, '', table(header, rows), ...(notes.length ? ['', ...notes] : [])].join('\n');
}

/** Micro-benchmark rows grouped by suite (in order of first appearance), each group in run order. */
function groupBySuite(micro: readonly MicroResult[]): MicroResult[] {
  const suites = [...new Set(micro.map((x) => x.suite))];
  return suites.flatMap((s) => micro.filter((x) => x.suite === s));
}

/**
 * The whole run as Markdown: machine and settings, one scaling table per workload (samples/s
 * with efficiency in brackets; peers use "workers" for their thread count), the micro-benchmarks
 * and the peers found.
 */
export function renderMarkdown(r: BenchResults): string {
  const m = r.machine;
  const s = r.settings;
  const parts = [
    `# Loom bench: ${r.date.slice(0, 10)} on ${m.host}`,
    '',
    `${m.cpuModel}, ${m.cores} cores, ${formatFigure(m.memoryGiB)} GiB; Node ${m.node} (V8 ${m.v8}), ${m.platform}-${m.arch}; Loom kernels: ${r.kernels}; load average ${formatFigure(m.loadAverage)} at the start.`,
    '',
    `Command: \`${r.command}\` (${s.mode} mode: ${s.warmupSteps} warm-up${s.warmupMs ? ` (at least ${formatFigure(s.warmupMs / 1000)} s)` : ''}, ${s.steps} timed steps${s.minRunMs ? ` (more, to ${formatFigure(s.minRunMs)} ms, for a fast system)` : ''} × ${s.repeats} runs per point; ${formatFigure(r.seconds)} s in all).${s.timedBatches ? ` Loom and the PyTorch peers draw each step's batch from at most ${s.timedBatches} batches of rows, in a new random order each epoch, and gather its rows in the step; the TF.js peers cycle a few prebuilt batches.` : ''}`,
    '',
    '## Scaling',
    '',
    'Samples per second of full training steps (forward, backward, all-reduce, Adam update), median of the runs; efficiency = throughput(N) / (N × throughput(1)) of the same system. Peers run their own threads: TF.js one, PyTorch `torch.set_num_threads(N)`.',
  ];
  for (const w of r.scaling) parts.push('', workloadTable(w));
  if (r.micro.length > 0) {
    parts.push('', '## Micro-benchmarks', '');
    parts.push(
      table(
        ['suite', 'case', 'backend', 'workers', 'value', 'unit', 'median ms', 'samples'],
        groupBySuite(r.micro).map((x) => [
          x.suite,
          x.name,
          x.backend,
          x.workers === undefined ? '' : String(x.workers),
          formatFigure(x.value),
          x.unit,
          formatFigure(x.medianMs),
          String(x.samples),
        ]),
        ['l', 'l', 'l', 'r', 'r', 'l', 'r', 'r'],
      ),
    );
  }
  if (r.peers.length > 0) {
    parts.push('', '## Peers', '');
    parts.push(
      table(
        ['system', 'status', 'detail'],
        r.peers.map((p) => [systemLabel(p.system), p.status, p.detail.replace(/\|/g, '\\|')]),
        ['l', 'l', 'l'],
      ),
    );
  }
  return `${parts.join('\n')}\n`;
}
