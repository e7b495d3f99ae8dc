import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Bool, type DataType, Float64, Int32, Table, Utf8, type Vector, tableToIPC, vectorFromArray } from 'apache-arrow';
import { parse } from 'csv-parse/sync';
import { ExitCode, UsageError } from '../errors.js';
import { wantsJson, writeJsonLine } from '../output/json-lines.js';
import { displayPath, formatCount } from '../output/summary.js';
import { requireFile } from '../training-data.js';

/** Options of `loom data convert`. */
export interface DataConvertOptions {
  input: string;
  output: string;
  delimiter: string;
  overwrite: boolean;
  json: boolean;
}

/** The Arrow type a CSV column gets: the narrowest that holds every non-empty cell. */
export type InferredType = 'int32' | 'float64' | 'bool' | 'utf8';

const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity)$|^nan$/i;
const BOOLEAN = /^(true|false)$/i;

/** Infers a column's type from its cells; empty cells are nulls and do not vote. */
export function inferType(cells: readonly string[]): InferredType {
  let type: InferredType | null = null;
  for (const raw of cells) {
    const cell = raw.trim();
    if (cell === '') continue;
    const kind: InferredType = INTEGER.test(cell) && Math.abs(Number(cell)) <= 2147483647 ? 'int32' : FLOAT.test(cell) ? 'float64' : BOOLEAN.test(cell) ? 'bool' : 'utf8';
    if (type === null || type === kind) type = kind;
    else if ((type === 'int32' && kind === 'float64') || (type === 'float64' && kind === 'int32')) type = 'float64';
    else return 'utf8';
  }
  return type ?? 'utf8';
}

function parseCell(raw: string, type: InferredType): number | boolean | string | null {
  const cell = raw.trim();
  if (cell === '') return null;
  switch (type) {
    case 'int32':
      return Number(cell);
    case 'float64':
      return /inf/i.test(cell) ? (cell.startsWith('-') ? -Infinity : Infinity) : /^nan$/i.test(cell) ? NaN : Number(cell);
    case 'bool':
      return cell.toLowerCase() === 'true';
    case 'utf8':
      return raw;
  }
}

const ARROW_TYPES: Record<InferredType, () => DataType> = {
  int32: () => new Int32(),
  float64: () => new Float64(),
  bool: () => new Bool(),
  utf8: () => new Utf8(),
};

/**
 * Parses CSV text with a header into columns of inferred types. A row with the wrong number of
 * fields, or text that is not CSV, is refused with the line it is on.
 */
export function csvToTable(text: string, label: string, delimiter = ','): { table: Table; types: Record<string, InferredType> } {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as typeof rows;
  } catch (error) {
    throw new UsageError(`${label}: ${(error as Error).message}`);
  }
  if (rows.length === 0) throw new UsageError(`${label} is empty; expected a header line of column names`);
  const header = rows[0]!.record.map((h) => h.trim());
  header.forEach((name, i) => {
    if (name === '') throw new UsageError(`${label} line ${rows[0]!.info.lines}: column ${i + 1} of the header has no name`);
    if (header.indexOf(name) !== i) throw new UsageError(`${label} line ${rows[0]!.info.lines}: column name '${name}' appears twice in the header`);
  });
  const body = rows.slice(1);
  for (const { record, info } of body) {
    if (record.length !== header.length) {
      throw new UsageError(`${label} line ${info.lines}: expected ${header.length} fields as in the header, found ${record.length}`);
    }
  }
  const types: Record<string, InferredType> = {};
  const columns: Record<string, Vector> = {};
  header.forEach((name, j) => {
    const cells = body.map((r) => r.record[j]!);
    const type = inferType(cells);
    types[name] = type;
    columns[name] = vectorFromArray(cells.map((c) => parseCell(c, type)) as never[], ARROW_TYPES[type]());
  });
  return { table: new Table(columns), types };
}

/** `loom data convert`: a CSV file with a header to an Arrow IPC file, column types inferred. */
export function dataConvertCommand(options: DataConvertOptions): number {
  requireFile(options.input, 'CSV file');
  if (existsSync(options.output) && !options.overwrite) throw new UsageError(`${options.output} already exists; pass --overwrite to replace it`);
  if (options.delimiter.length !== 1) throw new UsageError(`--delimiter must be one character, got '${options.delimiter}'`);
  const { table, types } = csvToTable(readFileSync(options.input, 'utf8'), options.input, options.delimiter);
  const temporary = `${options.output}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, tableToIPC(table, 'file'));
    renameSync(temporary, options.output);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new UsageError(`cannot write ${options.output}: ${(error as Error).message}`);
  }
  if (wantsJson(options.json)) {
    writeJsonLine('convert', { input: resolve(options.input), output: resolve(options.output), rows: table.numRows, columns: types });
  } else {
    const list = Object.entries(types).map(([name, type]) => `${name}: ${type}`).join(', ');
    process.stdout.write(`wrote ${formatCount(table.numRows)} rows to ${displayPath(options.output)} (${list})\n`);
  }
  return ExitCode.ok;
}
