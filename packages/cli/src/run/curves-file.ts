import { spawn } from 'node:child_process';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/**
 * Draws the curves in a child process: Vega costs ~45 MB of memory and a second or more per
 * chart, which the training process keeps neither paying nor waiting for. Resolves when the
 * chart is written (or could not be: a chart is never worth failing a run for; the reason goes
 * to stderr).
 */
export function writeCurvesInBackground(runDir: string, name: string): Promise<void> {
  const script = fileURLToPath(new URL('../bin/draw-curves.js', import.meta.url));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, runDir, name], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => {
      process.stderr.write(`loom: curves.svg not drawn: ${error.message}\n`);
      resolve();
    });
    child.on('close', (code) => {
      if (code !== 0) process.stderr.write(`loom: curves.svg not drawn: ${errorLine(stderr) ?? `exit ${code}`}\n`);
      resolve();
    });
  });
}

/** The line of a Node error report that says what went wrong ("Error: ENOSPC: …"), not where ("node:fs:2380"). */
function errorLine(stderr: string): string | undefined {
  const lines = stderr.trim().split('\n');
  return lines.find((line) => /^\w*(Error|Exception)\b/.test(line.trim())) ?? lines[0];
}
