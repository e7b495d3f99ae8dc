import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { NonNormalizedSpec } from 'vega-lite/types_unstable/spec/index.js';
import { PROJECTED_SYSTEM } from '../scaling/projection.js';
import { systemLabel } from './markdown.js';
import type { BenchResults } from './types.js';

/** One plotted point: a system's throughput and efficiency at one worker count of a workload. */
interface ChartRow {
  workload: string;
  system: string;
  workers: number;
  samplesPerSecond: number;
  efficiency: number | null;
  /** 'measured', or 'projected' (from the measured costs; see scaling/projection.ts). */
  kind: 'measured' | 'projected';
}

function chartRows(r: BenchResults): ChartRow[] {
  return r.scaling.flatMap((w) =>
    w.systems
      .filter((s) => s.status === 'ok')
      .flatMap((s) =>
        s.points.map((p) => ({
          workload: w.id,
          system: systemLabel(s.system),
          workers: p.workers,
          samplesPerSecond: p.samplesPerSecond,
          efficiency: p.efficiency ?? null,
          kind: s.system === PROJECTED_SYSTEM ? ('projected' as const) : ('measured' as const),
        })),
      ),
  );
}

/**
 * The Vega-Lite spec of the scaling chart: a row per workload, throughput against workers on the
 * left and efficiency on the right, a coloured line per system (a single point where a peer runs
 * on one thread only); Loom's projection to 64 cores is dashed.
 */
export function scalingChartSpec(r: BenchResults): TopLevelSpec {
  const rows = chartRows(r);
  const workers = [...new Set(rows.map((x) => x.workers))].sort((a, b) => a - b);
  const systems = [...new Set(rows.map((x) => x.system))];
  const domain = [workers[0] ?? 1, Math.max(workers[workers.length - 1] ?? 1, 2)];
  const panel = (workload: string, field: 'samplesPerSecond' | 'efficiency'): NonNormalizedSpec => ({
    title: `${workload}: ${field === 'efficiency' ? 'scaling efficiency' : 'throughput'}`,
    width: 280,
    height: 180,
    transform: [{ filter: { field: 'workload', equal: workload } }, { filter: `datum.${field} != null` }],
    mark: { type: 'line', point: true },
    encoding: {
      x: {
        field: 'workers',
        type: 'quantitative',
        title: 'workers / threads',
        scale: { type: 'log', base: 2, domain },
        axis: { values: workers, format: 'd' },
      },
      y:
        field === 'efficiency'
          ? { field, type: 'quantitative', title: 'efficiency', axis: { format: '%' }, scale: { domain: [0, 1.2] } }
          : { field, type: 'quantitative', title: 'samples/s (log scale)', scale: { type: 'log' } },
      color: { field: 'system', type: 'nominal', title: 'system', sort: systems, legend: { labelLimit: 400 } },
      strokeDash: { field: 'kind', type: 'nominal', title: 'points', sort: ['measured', 'projected'] },
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Training throughput and scaling efficiency: ${r.date.slice(0, 10)}, ${r.machine.host} (${r.machine.cores} cores)`,
    data: { values: rows },
    vconcat: r.scaling.map((w) => ({ hconcat: [panel(w.id, 'samplesPerSecond'), panel(w.id, 'efficiency')] })),
    config: { font: 'sans-serif' },
  };
}

/** The scaling chart as an SVG document, rendered headless by Vega (no canvas, no browser). */
export async function renderChartSvg(r: BenchResults): Promise<string> {
  const view = new vega.View(vega.parse(compile(scalingChartSpec(r)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
