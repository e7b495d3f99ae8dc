import type { BenchResults } from './types.js';

/** results.json's text: the results, indented for diffs when a run's folder is committed. */
export function renderJson(r: BenchResults): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

/** Reads results.json back, refusing anything that is not a Loom bench result. */
export function parseResults(text: string): BenchResults {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || (value as { schema?: unknown }).schema !== 'loom-bench-v1') {
    throw new Error(`parseResults: not a Loom bench result (expected schema 'loom-bench-v1')`);
  }
  return value as BenchResults;
}
