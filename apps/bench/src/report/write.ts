import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderChartSvg } from './chart.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import type { BenchResults } from './types.js';

/** The files a run writes into its folder. */
export const REPORT_FILES = { json: 'results.json', markdown: 'results.md', chart: 'scaling.svg' } as const;

/** `<date>-<host>`: the folder name of a run, e.g. '2025-11-27-build-box' (host made path-safe). */
export function runFolderName(r: Pick<BenchResults, 'date' | 'machine'>): string {
  const host = r.machine.host.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'host';
  return `${r.date.slice(0, 10)}-${host}`;
}

/** Writes results.json, the Markdown tables and the SVG chart into `dir` (created if missing). */
export async function writeReport(dir: string, r: BenchResults): Promise<{ json: string; markdown: string; chart: string }> {
  await mkdir(dir, { recursive: true });
  const paths = {
    json: join(dir, REPORT_FILES.json),
    markdown: join(dir, REPORT_FILES.markdown),
    chart: join(dir, REPORT_FILES.chart),
  };
  const svg = await renderChartSvg(r);
  await writeFile(paths.json, renderJson(r));
  await writeFile(paths.markdown, renderMarkdown(r));
  await writeFile(paths.chart, svg);
  return paths;
}
