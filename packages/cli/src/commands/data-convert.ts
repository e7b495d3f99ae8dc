import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Bool, type DataType, Float64, Int32, RecordBatch, Schema, Table, type Vector, tableToIPC, vectorFromArray } from 'apache-arrow';
import { parse } from 'csv-parse/sync';
import { ExitCode, UsageError } from '../errors.js';
import { wantsJson, writeJsonLine } from '../output/json-lines.js';
import { displayPath, formatCount } from '../output/summary.js';
import { CLASS_NAMES_KEY, requireFile } from '../training-data.js';

/** Options of `loom data convert`. */
export interface DataConvertOptions {
  input: string;
  output: string;
  delimiter: string;
  overwrite: boolean;
  json: boolean;
}

/**
 * The Arrow type a CSV column gets: the narrowest that holds every non-empty cell; a column of
 * text becomes class indices (int32, 0, 1, … in sorted order of the texts, their names in the
 * field's metadata) so that it can be a target (or a feature) without a second step.
 */
export type InferredType = 'int32' | 'float64' | 'bool' | 'classes';

const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity)$|^nan$/i;
const BOOLEAN = /^(true|false)$/i;

type CellKind = 'int32' | 'float64' | 'bool' | 'text';

function cellKind(cell: string): CellKind {
  return INTEGER.test(cell) && Math.abs(Number(cell)) <= 2147483647
    ? 'int32'
    : FLOAT.test(cell)
      ? 'float64'
      : BOOLEAN.test(cell)
        ? 'bool'
        : 'text';
}

/** A column's cells with the CSV line each is on. */
interface ColumnCells {
  name: string;
  cells: string[];
  lines: number[];
}

/**
 * Infers a column's type from its cells; empty cells are nulls and do not vote. A column of
 * numbers with a stray word in it ("n/a", "?") is refused naming the line and column, rather than
 * turned into text: it is a number column with a bad cell.
 */
export function inferType(column: ColumnCells, label: string): InferredType {
  const counts: Record<CellKind, number> = { int32: 0, float64: 0, bool: 0, text: 0 };
  let firstOther = -1;
  column.cells.forEach((raw, i) => {
    const cell = raw.trim();
    if (cell === '') return;
    const kind = cellKind(cell);
    counts[kind]++;
    if (kind === 'text' || kind === 'bool') firstOther = firstOther < 0 ? i : firstOther;
  });
  const numbers = counts.int32 + counts.float64;
  const others = counts.text + counts.bool;
  if (numbers > 0 && others > 0 && numbers >= others) {
    const cell = column.cells[firstOther]!.trim();
    throw new UsageError(
      `${label} line ${column.lines[firstOther]}: column '${column.name}' holds '${cell}', which is not a number, where its other cells are numbers; fix the cell, or leave it empty for a null`,
    );
  }
  if (numbers > 0 && others === 0) return counts.float64 > 0 ? 'float64' : 'int32';
  if (counts.bool > 0 && counts.text === 0 && numbers === 0) return 'bool';
  return 'classes';
}

function parseCell(raw: string, type: Exclude<InferredType, 'classes'>): number | boolean | null {
  const cell = raw.trim();
  if (cell === '') return null;
  switch (type) {
    case 'int32':
      return Number(cell);
    case 'float64':
      return /inf/i.test(cell) ? (cell.startsWith('-') ? -Infinity : Infinity) : /^nan$/i.test(cell) ? NaN : Number(cell);
    case 'bool':
      return cell.toLowerCase() === 'true';
  }
}

const ARROW_TYPES: Record<Exclude<InferredType, 'classes'>, () => DataType> = {
  int32: () => new Int32(),
  float64: () => new Float64(),
  bool: () => new Bool(),
};

/** A column of texts as class indices in sorted order of the texts, with their names (and count) for the field metadata. */
function classColumn(cells: string[]): { vector: Vector; names: string[]; metadata: Map<string, string> } {
  const names = [...new Set(cells.map((c) => c.trim()).filter((c) => c !== ''))].sort();
  const index = new Map(names.map((n, i) => [n, i]));
  const vector = vectorFromArray(
    cells.map((c) => (c.trim() === '' ? null : index.get(c.trim())!)),
    new Int32(),
  );
  const metadata = new Map([
    [CLASS_NAMES_KEY, JSON.stringify(names)],
    ['loom.numClasses', String(names.length)],
  ]);
  return { vector, names, metadata };
}

/**
 * Parses CSV text with a header into columns of inferred types. A row with the wrong number of
 * fields, a stray non-number in a number column, or text that is not CSV is refused with the line it is on.
 */
export function csvToTable(
  text: string,
  label: string,
  delimiter = ',',
): { table: Table; types: Record<string, InferredType>; classes: Record<string, string[]> } {
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
    if (header.indexOf(name) !== i)
      throw new UsageError(`${label} line ${rows[0]!.info.lines}: column name '${name}' appears twice in the header`);
  });
  const body = rows.slice(1);
  if (body.length === 0) throw new UsageError(`${label} has a header but no rows`);
  for (const { record, info } of body) {
    if (record.length !== header.length) {
      throw new UsageError(`${label} line ${info.lines}: expected ${header.length} fields as in the header, found ${record.length}`);
    }
  }
  const types: Record<string, InferredType> = {};
  const classes: Record<string, string[]> = {};
  const columns: Record<string, Vector> = {};
  const metadata = new Map<string, Map<string, string>>();
  header.forEach((name, j) => {
    const cells = body.map((r) => r.record[j]!);
    const type = inferType({ name, cells, lines: body.map((r) => r.info.lines) }, label);
    types[name] = type;
    if (type === 'classes') {
      const column = classColumn(cells);
      classes[name] = column.names;
      columns[name] = column.vector;
      metadata.set(name, column.metadata);
    } else {
      columns[name] = vectorFromArray(cells.map((c) => parseCell(c, type)) as never[], ARROW_TYPES[type]());
    }
  });
  const plain = new Table(columns);
  const schema = new Schema(plain.schema.fields.map((f) => (metadata.has(f.name) ? f.clone({ metadata: metadata.get(f.name)! }) : f)));
  return {
    table: new Table(
      schema,
      plain.batches.map((b) => new RecordBatch(schema, b.data)),
    ),
    types,
    classes,
  };
}

/** `loom data convert`: a CSV file with a header to an Arrow IPC file, column types inferred. */
export function dataConvertCommand(options: DataConvertOptions): number {
  requireFile(options.input, 'CSV file');
  if (existsSync(options.output) && !options.overwrite)
    throw new UsageError(`${options.output} already exists; pass --overwrite to replace it`);
  if (options.delimiter.length !== 1) throw new UsageError(`--delimiter must be one character, got '${options.delimiter}'`);
  const { table, types, classes } = csvToTable(readFileSync(options.input, 'utf8'), options.input, options.delimiter);
  const temporary = `${options.output}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, tableToIPC(table, 'file'));
    renameSync(temporary, options.output);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new UsageError(`cannot write ${options.output}: ${(error as Error).message}`);
  }
  if (wantsJson(options.json)) {
    writeJsonLine('convert', {
      input: resolve(options.input),
      output: resolve(options.output),
      rows: table.numRows,
      columns: types,
      classes,
    });
  } else {
    const list = Object.entries(types)
      .map(([name, type]) =>
        type === 'classes' ? `${name}: classes ${classes[name]!.map((c, i) => `${i}=${c}`).join(' ')}` : `${name}: ${type}`,
      )
      .join(', ');
    process.stdout.write(`wrote ${formatCount(table.numRows)} rows to ${displayPath(options.output)} (${list})\n`);
  }
  return ExitCode.ok;
}
