import { DataType, Precision, util, type Data, type Field, type Table } from 'apache-arrow';

/** The typed arrays whose elements are plain numbers (not BigInt). */
type NumberArray = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array;

/** What a column's values are: integers (class indices by default), reals, or booleans (0/1). */
export type ValueKind = 'int' | 'float' | 'bool';

/** One record batch's slice of a column, with its values as plain numbers. */
interface ColumnChunk {
  /** The table row of this chunk's first row. */
  rowStart: number;
  rows: number;
  values: NumberArray;
  /** Where each row starts in `values` (variable-size lists); null when row i starts at i × width. */
  starts: Int32Array | null;
}

/** A numeric column (scalar or list) checked and ready to copy: same width on every row. */
export interface NumericColumn {
  name: string;
  kind: ValueKind;
  /** Values per row: 1 for a scalar column, the list size for a list column. */
  width: number;
  isList: boolean;
  chunks: ColumnChunk[];
  /** 1 for each row that is null or holds a null value; null when no row does. */
  nullRows: Uint8Array | null;
  nullCount: number;
}

const NOT_NUMERIC = 'features and targets must be integer, floating-point or boolean columns, or one FixedSizeList/List column of them';

/** The value kind of a scalar Arrow type, or null when it is not numeric. */
function valueKind(type: DataType): ValueKind | null {
  if (DataType.isInt(type)) return 'int';
  if (DataType.isFloat(type)) return 'float';
  if (DataType.isBool(type)) return 'bool';
  return null;
}

/** The element type of a list type, or null for anything else. */
function listChild(type: DataType): DataType | null {
  if (DataType.isFixedSizeList(type) || DataType.isList(type) || DataType.isLargeList(type)) return type.children[0]!.type;
  return null;
}

/** Whether a field is a FixedSizeList, List or LargeList. */
export function isListField(field: Field): boolean {
  return listChild(field.type) !== null;
}

/** Throws unless the field is numeric or a list of numbers (a check on the schema alone). */
export function checkNumericField(field: Field, op: string): void {
  const child = listChild(field.type);
  if (valueKind(child ?? field.type) === null) {
    throw new TypeError(`${op}: column '${field.name}' is ${String(field.type)}, not numeric; ${NOT_NUMERIC}`);
  }
}

/**
 * Reads a numeric column of the table: converts Float16, Int64 and Bool values to numbers,
 * checks that every non-null row of a List column has the same length, and marks null rows.
 */
export function readNumericColumn(table: Table, field: Field, op: string): NumericColumn {
  const vector = table.getChild(field.name)!;
  const child = listChild(field.type);
  const isList = child !== null;
  const kind = valueKind(child ?? field.type)!;
  let width = DataType.isFixedSizeList(field.type) ? field.type.listSize : isList ? -1 : 1;
  let widthRow = -1;
  const chunks: ColumnChunk[] = [];
  let nullRows: Uint8Array | null = null;
  let rowStart = 0;
  for (const data of vector.data as Data[]) {
    const leaf = isList ? data.children[0]! : data;
    const starts = DataType.isList(field.type) || DataType.isLargeList(field.type) ? listStarts(data) : null;
    for (let i = 0; i < data.length; i++) {
      const listNull = !data.getValid(i);
      const start = starts ? starts[i]! : i * width;
      if (starts && !listNull) {
        const length = starts[i + 1]! - start;
        if (width < 0) [width, widthRow] = [length, rowStart + i];
        else if (length !== width) {
          throw new RangeError(
            `${op}: column '${field.name}' is a List whose rows differ in length: row ${widthRow} has ${width} values, ` +
              `row ${rowStart + i} has ${length}; every row needs the same number of values`,
          );
        }
      }
      if (listNull || (leaf.nullCount > 0 && hasNullIn(leaf, start, isList ? width : 1))) {
        nullRows ??= new Uint8Array(table.numRows);
        nullRows[rowStart + i] = 1;
      }
    }
    const chunkStart = rowStart;
    const rowOf = (k: number): number => chunkStart + (starts ? lastAtMost(starts, k) : isList ? Math.floor(k / width) : k);
    chunks.push({ rowStart, rows: data.length, values: numbers(leaf, field.name, rowOf, op), starts });
    rowStart += data.length;
  }
  if (width === 0) throw new RangeError(`${op}: column '${field.name}' holds empty lists; each row needs at least one value`);
  let nullCount = 0;
  if (nullRows) for (const flag of nullRows) nullCount += flag;
  // A List column whose rows are all null has no width to learn (-1); its rows all count as nulls.
  return { name: field.name, kind, width: Math.max(width, 0), isList, chunks, nullRows, nullCount };
}

/**
 * Copies a column's values for the kept rows into `dest`, row r's values going to
 * dest[r' × rowStride + colOffset …] where r' = rowMap[r] (rows mapped to -1 are skipped).
 */
export function copyColumn(
  column: NumericColumn,
  dest: Float32Array | Float64Array,
  rowStride: number,
  colOffset: number,
  rowMap: Int32Array | null,
): void {
  const { width } = column;
  for (const { rowStart, rows, values, starts } of column.chunks) {
    if (!rowMap && !starts && rowStride === width) {
      dest.set(values.subarray(0, rows * width), rowStart * width);
      continue;
    }
    for (let i = 0; i < rows; i++) {
      const row = rowMap ? rowMap[rowStart + i]! : rowStart + i;
      if (row < 0) continue;
      const src = starts ? starts[i]! : i * width;
      const dst = row * rowStride + colOffset;
      for (let e = 0; e < width; e++) dest[dst + e] = values[src + e]!;
    }
  }
}

function hasNullIn(leaf: Data, start: number, count: number): boolean {
  for (let k = start; k < start + count; k++) if (!leaf.getValid(k)) return true;
  return false;
}

/** The last position whose start is at most k: the row holding list element k. */
function lastAtMost(starts: Int32Array, k: number): number {
  let i = 0;
  while (i + 1 < starts.length - 1 && starts[i + 1]! <= k) i++;
  return i;
}

function listStarts(data: Data): Int32Array {
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  return offsets instanceof Int32Array ? offsets : Int32Array.from(offsets, (o) => Number(o));
}

/**
 * The leaf values as numbers. Int64 values beyond ±(2^53 − 1) would silently round, so they are
 * refused; values under nulls are ignored as they hold no data.
 */
function numbers(leaf: Data, name: string, rowOf: (k: number) => number, op: string): NumberArray {
  const { type } = leaf;
  const values: unknown = leaf.values;
  if (DataType.isBool(type)) {
    const bits = values as Uint8Array;
    const out = new Uint8Array(leaf.length);
    for (let k = 0; k < leaf.length; k++) out[k] = (bits[(leaf.offset + k) >> 3]! >> ((leaf.offset + k) & 7)) & 1;
    return out;
  }
  if (DataType.isFloat(type) && type.precision === Precision.HALF) {
    return Float64Array.from((values as Uint16Array).subarray(0, leaf.length), util.uint16ToFloat64);
  }
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    const out = new Float64Array(leaf.length);
    const checkNulls = leaf.nullCount > 0;
    for (let k = 0; k < leaf.length; k++) {
      const v = values[k]!;
      if ((v > 9007199254740991n || v < -9007199254740991n) && !(checkNulls && !leaf.getValid(k))) {
        throw new RangeError(
          `${op}: column '${name}' holds ${v} at row ${rowOf(k)}, beyond ±(2^53 − 1) where a 64-bit integer still converts exactly to a number`,
        );
      }
      out[k] = Number(v);
    }
    return out;
  }
  return values as NumberArray;
}
