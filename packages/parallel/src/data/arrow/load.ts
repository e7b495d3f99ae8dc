import { checkOptions, optionKeys } from '@loom/core';
import type { Field, Table } from 'apache-arrow';
import { checkShape, countClasses, type TableDataset, type TargetKind } from '../dataset.js';
import { sharedArray } from '../cross-thread.js';
import { checkNumericField, copyColumn, isListField, readNumericColumn, type NumericColumn } from './columns.js';
import { readArrowTable } from './source.js';

/** Field metadata keys that `writeArrow` sets and `loadArrow` reads back. */
export const FEATURE_SHAPE_KEY = 'loom.featureShape';
export const NUM_CLASSES_KEY = 'loom.numClasses';

const LOAD_ARROW_OPTIONS = optionKeys<LoadArrowOptions>({
  features: true,
  target: true,
  featureShape: true,
  nulls: true,
  targetKind: true,
});

/** Which columns to read and how. */
export interface LoadArrowOptions {
  /** Numeric columns (one value each per row), or one FixedSizeList/List column of numbers. */
  features: string | readonly string[];
  /** A numeric column, or a list column of numbers (a float target vector per row). */
  target: string;
  /** The shape of one row's features, e.g. [1, 28, 28]; must hold D values. */
  featureShape?: readonly number[];
  /** 'error' (default) refuses rows with nulls; 'drop' leaves them out (features and target together). */
  nulls?: 'error' | 'drop';
  /**
   * Defaults to 'class' for integer and boolean target columns, 'regression' for floating-point
   * ones and for list targets; 'class' requires integral values.
   */
  targetKind?: TargetKind;
}

/**
 * Reads a dataset from an Arrow IPC file or stream (Feather v2 files are Arrow IPC files): the
 * chosen rows are checked in full, then copied once into SharedArrayBuffers (features that are one
 * float32 list column in one record batch of a file read by path are not copied: the file's bytes,
 * read into shared memory, hold them). Nothing is returned
 * half-loaded: missing or non-numeric columns, nulls, ragged lists, an empty table and bytes
 * that are not Arrow are all refused with an error that says which.
 * @param source - a file path, or the bytes of an Arrow IPC file or stream (Feather v2)
 * @param options - which columns are the features and the target, and how to read them, see {@link LoadArrowOptions}
 */
export function loadArrow(source: string | Uint8Array, options: LoadArrowOptions): TableDataset {
  const op = 'loadArrow';
  if (options === undefined || options === null) throw new TypeError(`${op}: options { features, target } are required`);
  checkOptions(op, options, LOAD_ARROW_OPTIONS);
  const featureNames =
    typeof options.features === 'string' ? [options.features] : Array.isArray(options.features) ? [...options.features] : [];
  checkColumns(featureNames, options, op);
  const { table, label } = readArrowTable(source, op);
  // Bytes Loom read itself may be kept; a caller's bytes are copied, as the caller may reuse them.
  const ownBytes = typeof source === 'string';
  const featureFields = featureNames.map((name) => findField(table, name, label, op));
  const targetField = findField(table, options.target, label, op);
  for (const field of [...featureFields, targetField]) checkNumericField(field, op);
  if (featureFields.length > 1 && featureFields.some(isListField)) {
    throw new TypeError(`${op}: features must be numeric columns or a single list column, got [${featureNames.join(', ')}]`);
  }
  if (table.numRows === 0) throw new RangeError(`${op}: ${label} has no rows`);

  const featureColumns = featureFields.map((field) => readNumericColumn(table, field, op));
  const targetColumn = readNumericColumn(table, targetField, op);
  const rowMap = keptRows([...featureColumns, targetColumn], options.nulls ?? 'error', table.numRows, op);
  const length = rowMap ? rowMap.kept : table.numRows;
  if (length === 0) throw new RangeError(`${op}: every row of ${label} holds a null; nothing is left after dropping them`);

  const featureDim = featureColumns.reduce((sum, c) => sum + c.width, 0);
  const featureShape = resolveFeatureShape(options.featureShape, featureFields, featureDim, op);
  const inPlace = ownBytes && rowMap === null ? featuresInPlace(featureColumns, length) : null;
  const features = inPlace ?? sharedArray('float32', length * featureDim);
  let colOffset = 0;
  for (const column of featureColumns) {
    if (inPlace === null) copyColumn(column, features, featureDim, colOffset, rowMap?.map ?? null);
    checkFinite(features, featureDim, colOffset, column, rowMap, label, op);
    colOffset += column.width;
  }
  // A list of integers is a sequence of class indices (next-token targets); a list of reals a target vector.
  const targetKind =
    options.targetKind ?? (targetColumn.kind === 'float' || (targetColumn.isList && targetColumn.kind !== 'int') ? 'regression' : 'class');
  const targetShape = targetColumn.isList ? [targetColumn.width] : [];
  const base = {
    features,
    length,
    featureDim,
    featureShape,
    targetDim: targetColumn.width,
    targetShape,
    featureNames,
    targetName: options.target,
  };
  if (targetKind === 'regression') {
    const targets = sharedArray('float32', length * targetColumn.width);
    copyColumn(targetColumn, targets, targetColumn.width, 0, rowMap?.map ?? null);
    checkFinite(targets, targetColumn.width, 0, targetColumn, rowMap, label, op);
    return { ...base, targets, targetKind, numClasses: undefined };
  }
  const targets = classTargets(targetColumn, length, rowMap, op);
  const declared = Number(targetField.metadata.get(NUM_CLASSES_KEY) ?? NaN);
  const numClasses = Math.max(countClasses(targets, undefined, op), Number.isInteger(declared) ? declared : 0);
  return { ...base, targets, targetKind, numClasses };
}

/**
 * The features where they lie in the file's shared bytes, when they are one float32 list column
 * in one record batch: then the file is the dataset's only copy of them. Null otherwise.
 */
function featuresInPlace(columns: NumericColumn[], length: number): Float32Array | null {
  if (columns.length !== 1) return null;
  const { chunks, width } = columns[0]!;
  if (chunks.length !== 1) return null;
  const { values, starts, rows } = chunks[0]!;
  const shared = values instanceof Float32Array && values.buffer instanceof SharedArrayBuffer;
  if (!shared || starts !== null || rows !== length || values.length < length * width) return null;
  return values.subarray(0, length * width);
}

interface RowMap {
  /** For each table row, its row in the dataset, or -1 when dropped. */
  map: Int32Array;
  kept: number;
}

function checkColumns(featureNames: string[], options: LoadArrowOptions, op: string): void {
  if (featureNames.length === 0 || featureNames.some((n) => typeof n !== 'string')) {
    throw new TypeError(`${op}: features must be a column name or a non-empty list of column names`);
  }
  if (typeof options.target !== 'string') throw new TypeError(`${op}: target must be a column name`);
  const duplicate = featureNames.find((n, i) => featureNames.indexOf(n) !== i);
  if (duplicate !== undefined) throw new TypeError(`${op}: feature column '${duplicate}' is listed twice`);
  if (featureNames.includes(options.target)) {
    throw new TypeError(`${op}: column '${options.target}' is both a feature and the target`);
  }
  if (options.nulls !== undefined && options.nulls !== 'error' && options.nulls !== 'drop') {
    throw new TypeError(`${op}: nulls must be 'error' or 'drop', got '${String(options.nulls)}'`);
  }
  if (options.targetKind !== undefined && options.targetKind !== 'class' && options.targetKind !== 'regression') {
    throw new TypeError(`${op}: targetKind must be 'class' or 'regression', got '${String(options.targetKind)}'`);
  }
}

function findField(table: Table, name: string, label: string, op: string): Field {
  const field = table.schema.fields.find((f) => f.name === name);
  if (field) return field;
  const available = table.schema.fields.map((f) => `${f.name} (${String(f.type)})`).join(', ');
  throw new RangeError(`${op}: no column '${name}' in ${label}; available columns: ${available || 'none'}`);
}

/** Null rows: refused with their count per column, or dropped from every column together. */
function keptRows(columns: NumericColumn[], mode: 'error' | 'drop', numRows: number, op: string): RowMap | null {
  const withNulls = columns.filter((c) => c.nullCount > 0);
  if (withNulls.length === 0) return null;
  if (mode === 'error') {
    const counts = withNulls.map((c) => `column '${c.name}' has ${c.nullCount} null row${c.nullCount === 1 ? '' : 's'}`);
    throw new RangeError(`${op}: ${counts.join(', ')} (of ${numRows}); pass { nulls: 'drop' } to leave those rows out`);
  }
  const map = new Int32Array(numRows);
  let kept = 0;
  for (let r = 0; r < numRows; r++) map[r] = withNulls.some((c) => c.nullRows![r] === 1) ? -1 : kept++;
  return { map, kept };
}

function resolveFeatureShape(given: readonly number[] | undefined, fields: Field[], featureDim: number, op: string): number[] {
  const stored = fields.length === 1 ? fields[0]!.metadata.get(FEATURE_SHAPE_KEY) : undefined;
  const shape = given ?? (stored !== undefined ? (JSON.parse(stored) as number[]) : [featureDim]);
  const size = checkShape(shape, 'featureShape', op);
  if (size !== featureDim) {
    throw new RangeError(`${op}: featureShape [${shape.join(', ')}] holds ${size} values but each row has ${featureDim}`);
  }
  return [...shape];
}

/** The table row of a dataset row. */
function tableRow(row: number, rowMap: RowMap | null): number {
  return rowMap ? rowMap.map.indexOf(row) : row;
}

/**
 * NaN and ±Infinity (also float64 values beyond float32's range) are refused with the column and
 * the table's row (0-based, as Arrow and pandas count): a model would turn them into a NaN loss
 * somewhere in the first epoch, with nothing to say where they came from.
 */
function checkFinite(
  dest: Float32Array,
  rowStride: number,
  colOffset: number,
  column: NumericColumn,
  rowMap: RowMap | null,
  label: string,
  op: string,
): void {
  const rows = dest.length / rowStride;
  for (let r = 0; r < rows; r++) {
    for (let e = 0; e < column.width; e++) {
      const v = dest[r * rowStride + colOffset + e]!;
      if (Number.isFinite(v)) continue;
      const element = column.width > 1 ? ` (element ${e} of the row's ${column.width})` : '';
      const what = Number.isNaN(v) ? 'NaN' : `${v} (or a value too large for float32)`;
      throw new RangeError(
        `${op}: column '${column.name}' holds ${what} at row ${tableRow(r, rowMap)}${element} of ${label}; every value must be finite`,
      );
    }
  }
}

/** Class indices (one per row, or a list per row) must be integers that fit int32; the row named is the table's row. */
function classTargets(column: NumericColumn, length: number, rowMap: RowMap | null, op: string): Int32Array {
  const width = column.width;
  const values = new Float64Array(length * width);
  copyColumn(column, values, width, 0, rowMap?.map ?? null);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw new RangeError(
        `${op}: target column '${column.name}' holds ${v} at row ${tableRow(Math.floor(i / width), rowMap)}, not an int32 class index`,
      );
    }
  }
  const targets = sharedArray('int32', length * width);
  targets.set(values);
  return targets;
}
