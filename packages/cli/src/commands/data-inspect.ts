import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Table, tableFromIPC } from 'apache-arrow';
import { type ColumnStats, columnStats } from '../arrow-stats.js';
import { ExitCode, UsageError } from '../errors.js';
import { wantsJson, writeJsonLine } from '../output/json-lines.js';
import { displayPath, formatCount } from '../output/summary.js';
import { requireFile } from '../training-data.js';

/** Options of `loom data inspect`. */
export interface DataInspectOptions {
  file: string;
  json: boolean;
}

/** Reads a whole Arrow IPC file or stream; a UsageError when it is missing or not Arrow. */
export function readTable(path: string): Table {
  requireFile(path);
  try {
    return tableFromIPC(readFileSync(path));
  } catch (error) {
    throw new UsageError(`${path} is not an Arrow IPC file or stream (${(error as Error).message})`);
  }
}

/** `loom data inspect`: the schema, row count and per-column min/max/mean/nulls of an Arrow file. */
export function dataInspectCommand(options: DataInspectOptions): number {
  const table = readTable(options.file);
  const columns = columnStats(table);
  if (wantsJson(options.json)) {
    writeJsonLine('inspect', { path: resolve(options.file), rows: table.numRows, columns });
    return ExitCode.ok;
  }
  const lines = [`${displayPath(options.file)}: ${formatCount(table.numRows)} rows, ${columns.length} columns`, ...formatColumns(columns)];
  process.stdout.write(`${lines.join('\n')}\n`);
  return ExitCode.ok;
}

function formatValue(x: number | null): string {
  if (x === null) return '–';
  return Number.isInteger(x) ? String(x) : x.toPrecision(6).replace(/\.?0+$/, '');
}

/** An aligned table: one row per column of the file. */
export function formatColumns(columns: ColumnStats[]): string[] {
  const rows = [
    ['column', 'type', 'nulls', 'min', 'max', 'mean'],
    ...columns.map((c) => [c.name, c.type, formatCount(c.nulls), formatValue(c.min), formatValue(c.max), formatValue(c.mean)]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `  ${r.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ')}`.trimEnd());
}
