import type { TopLevelSpec } from 'vega-lite';

/** One epoch of one run, as a chart reads it. */
export interface CurvePoint {
  run: string;
  epoch: number;
  trainLoss: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  lr: number | null;
}

/** The epoch events of metrics.jsonl records as curve points of one run. */
export function curvePoints(run: string, records: readonly Record<string, unknown>[]): CurvePoint[] {
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const byEpoch = new Map<number, CurvePoint>();
  for (const r of records) {
    if (r.event !== 'epoch') continue;
    const epoch = Number(r.epoch);
    byEpoch.set(epoch, {
      run,
      epoch,
      trainLoss: num(r.trainLoss),
      valLoss: num(r.valLoss),
      valAccuracy: num(r.valAccuracy),
      lr: num(r.lr),
    });
  }
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

/**
 * The Vega-Lite spec of training curves: loss (train solid, validation dashed), validation
 * accuracy and learning rate against the epoch, side by side; a colour per run.
 */
export function curvesSpec(points: readonly CurvePoint[], title: string): TopLevelSpec {
  const runs = [...new Set(points.map((p) => p.run))];
  const long = points
    .flatMap((p) => [
      { run: p.run, epoch: p.epoch, series: 'train', loss: p.trainLoss },
      { run: p.run, epoch: p.epoch, series: 'validation', loss: p.valLoss },
    ])
    .filter((x) => x.loss !== null);
  const x = { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } } as const;
  const color = { field: 'run', type: 'nominal', title: 'run', sort: runs, legend: runs.length > 1 ? { labelLimit: 400 } : null } as const;
  const panel = (field: 'valAccuracy' | 'lr', name: string) => ({
    title: name,
    width: 260,
    height: 180,
    data: { values: points.filter((p) => p[field] !== null) },
    mark: { type: 'line', point: true },
    encoding: {
      x,
      y:
        field === 'lr'
          ? { field, type: 'quantitative', title: 'lr', scale: { type: 'log' } }
          : { field, type: 'quantitative', title: 'accuracy', scale: { zero: false } },
      color,
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    hconcat: [
      {
        title: 'loss (train solid, validation dashed)',
        width: 260,
        height: 180,
        data: { values: long },
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y: { field: 'loss', type: 'quantitative', title: 'loss', scale: { zero: false } },
          color,
          strokeDash: { field: 'series', type: 'nominal', title: 'data', sort: ['train', 'validation'] },
        },
      },
      panel('valAccuracy', 'validation accuracy'),
      panel('lr', 'learning rate'),
    ],
    config: { font: 'sans-serif' },
  } as TopLevelSpec;
}

/** Renders curves as an SVG document, headless (no canvas, no browser); Vega is loaded on first use. */
export async function renderCurvesSvg(points: readonly CurvePoint[], title: string): Promise<string> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(curvesSpec(points, title)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
