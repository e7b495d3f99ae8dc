import { DataType, Precision, util, type Data, type Field, type Table, type Vector } from 'apache-arrow';

/** Statistics of one column: over every value of every non-null row (each element of a list column). */
export interface ColumnStats {
  name: string;
  type: string;
  nullable: boolean;
  /** Rows that are null (for numbers: also rows holding a null element). */
  nulls: number;
  /** Values per row of a fixed-size list column, else 1. */
  width: number;
  /** Null for columns that are not numeric, or hold no value. */
  min: number | null;
  max: number | null;
  mean: number | null;
}

/** Per-column statistics of a table; strings and other non-numeric columns get their null count only. */
export function columnStats(table: Table): ColumnStats[] {
  return table.schema.fields.map((field) => statsOf(field, table.getChild(field.name)!));
}

function isNumeric(type: DataType): boolean {
  return DataType.isInt(type) || DataType.isFloat(type) || DataType.isBool(type);
}

function listChild(type: DataType): DataType | null {
  return DataType.isFixedSizeList(type) || DataType.isList(type) || DataType.isLargeList(type) ? type.children[0]!.type : null;
}

function statsOf(field: Field, vector: Vector): ColumnStats {
  const child = listChild(field.type);
  const numeric = isNumeric(child ?? field.type);
  const stats: ColumnStats = {
    name: field.name,
    type: String(field.type),
    nullable: field.nullable,
    nulls: vector.nullCount,
    width: DataType.isFixedSizeList(field.type) ? field.type.listSize : 1,
    min: null,
    max: null,
    mean: null,
  };
  if (!numeric) return stats;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let count = 0;
  let nullRows = 0;
  for (const data of vector.data as Data[]) {
    for (let row = 0; row < data.length; row++) {
      if (!data.getValid(row)) {
        nullRows++;
        continue;
      }
      const values = child ? rowValues(data, row) : [numberAt(data, row)];
      let hasNull = false;
      for (const v of values) {
        if (v === null) {
          hasNull = true;
          continue;
        }
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v;
        count++;
      }
      if (hasNull) nullRows++;
    }
  }
  stats.nulls = nullRows;
  if (count > 0) [stats.min, stats.max, stats.mean] = [min, max, sum / count];
  return stats;
}

/** Element `index` as a number (Int64 rounded to a float, Bool as 0/1, Float16 widened), or null. */
function numberAt(data: Data, index: number): number | null {
  if (!data.getValid(index)) return null;
  const type = data.type as DataType;
  if (DataType.isBool(type)) {
    const bits = data.values as Uint8Array;
    const i = data.offset + index;
    return (bits[i >> 3]! >> (i & 7)) & 1;
  }
  const value = (data.values as ArrayLike<number | bigint>)[index]!;
  if (DataType.isFloat(type) && type.precision === Precision.HALF) return util.uint16ToFloat64(value as number);
  return Number(value);
}

/** The elements of one list row. */
function rowValues(data: Data, row: number): (number | null)[] {
  const leaf = data.children[0]!;
  let start: number;
  let end: number;
  if (DataType.isFixedSizeList(data.type)) {
    const size = (data.type as { listSize: number }).listSize;
    [start, end] = [row * size, row * size + size];
  } else {
    const offsets = data.valueOffsets as ArrayLike<number | bigint>;
    [start, end] = [Number(offsets[row]), Number(offsets[row + 1])];
  }
  const out: (number | null)[] = [];
  for (let k = start; k < end; k++) out.push(numberAt(leaf, k));
  return out;
}
