import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ExitCode, UsageError } from '../errors.js';
import { writeJsonLine, wantsJson } from '../output/json-lines.js';
import { type CurvePoint, curvePoints, renderCurvesSvg } from '../output/curves.js';
import { displayPath } from '../output/summary.js';
import { writeFileAtomic } from '../run/files.js';
import { readMetrics } from '../run/metrics.js';
import { METRICS_FILE } from '../run/run-dir.js';
import { checkOutDir } from '../run/out-dir.js';

/** Options of `loom plot`. */
export interface PlotOptions {
  runs: string[];
  out: string;
  json: boolean;
}

/** `loom plot RUN…`: the training curves of several runs in one SVG, a colour per run. */
export async function plotCommand(options: PlotOptions): Promise<number> {
  const points: CurvePoint[] = [];
  const names = new Set<string>();
  for (const run of options.runs) {
    if (!existsSync(run) || !statSync(run).isDirectory()) throw new UsageError(`no such run directory: ${run}`);
    if (!existsSync(resolve(run, METRICS_FILE))) throw new UsageError(`${run} is not a loom run: ${METRICS_FILE} is missing`);
    let name = basename(resolve(run));
    for (let i = 2; names.has(name); i++) name = `${basename(resolve(run))} (${i})`;
    names.add(name);
    const curve = curvePoints(name, readMetrics(run));
    if (curve.length === 0) throw new UsageError(`${run} has no finished epoch to plot yet`);
    points.push(...curve);
  }
  checkOutDir(resolve(options.out, '..'), '--out');
  writeFileAtomic(options.out, await renderCurvesSvg(points, `loom: ${[...names].join(' vs ')}`));
  if (wantsJson(options.json)) writeJsonLine('plot', { out: resolve(options.out), runs: [...names], epochs: points.length });
  else process.stdout.write(`wrote ${displayPath(options.out)}: ${[...names].join(', ')}\n`);
  return ExitCode.ok;
}
