import { basename, join } from 'node:path';
import { curvePoints, renderCurvesSvg } from '../output/curves.js';
import { writeFileAtomic } from './files.js';
import { readMetrics } from './metrics.js';
import { CURVES_FILE } from './run-dir.js';

/** Draws the run's curves (from its metrics.jsonl) into its curves.svg; `name` titles the chart. */
export async function writeCurves(runDir: string, name: string): Promise<void> {
  const points = curvePoints(basename(name), readMetrics(runDir));
  if (points.length === 0) return;
  writeFileAtomic(join(runDir, CURVES_FILE), await renderCurvesSvg(points, `loom train: ${basename(name)}`));
}
