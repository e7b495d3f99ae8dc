import {
  Field,
  FixedSizeList,
  Float32,
  Int32,
  RecordBatch,
  Schema,
  Struct,
  Table,
  makeData,
  tableToIPC,
  type Data,
  type DataType,
} from 'apache-arrow';
import { checkOptions, optionKeys } from '@loom/core';
import type { TableDataset } from '../dataset.js';
import { FEATURE_SHAPE_KEY, NUM_CLASSES_KEY } from './load.js';
import { platform } from '../../platform/platform.js';

/** How to lay a dataset out in Arrow. */
export interface WriteArrowOptions {
  /**
   * 'list': one FixedSizeList<Float32> column (named after the single feature name, else
   * 'features'); 'columns': one Float32 column per feature. Defaults to 'columns' when the dataset
   * has one name per feature (it was read from columns), else 'list'.
   */
  featureColumn?: 'columns' | 'list';
  /** 'file' (default; the Arrow IPC file format, which is Feather v2) or 'stream'. */
  format?: 'file' | 'stream';
  /** Key-value metadata of the schema (e.g. a text dataset's vocabulary); apache-arrow reads it back as `schema.metadata`. */
  metadata?: Readonly<Record<string, string>>;
}

const WRITE_ARROW_OPTIONS = optionKeys<WriteArrowOptions>({ featureColumn: true, format: true, metadata: true });

/** Throws on an unknown option, a bad layout or format, or metadata that is not strings (apache-arrow would stringify it). */
function checkWriteOptions(options: WriteArrowOptions, op: string): void {
  checkOptions(op, options, WRITE_ARROW_OPTIONS);
  const { featureColumn, format, metadata } = options;
  if (featureColumn !== undefined && featureColumn !== 'columns' && featureColumn !== 'list') {
    throw new TypeError(`${op}: featureColumn must be 'columns' or 'list', got ${JSON.stringify(featureColumn)}`);
  }
  if (format !== undefined && format !== 'file' && format !== 'stream') {
    throw new TypeError(`${op}: format must be 'file' or 'stream', got ${JSON.stringify(format)}`);
  }
  if (metadata === undefined) return;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new TypeError(`${op}: metadata must be an object of strings, got ${JSON.stringify(metadata)}`);
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string')
      throw new TypeError(`${op}: metadata '${key}' must be a string, got ${typeof value} (JSON.stringify it first)`);
  }
}

/**
 * The dataset as an Arrow table: the features (see `featureColumn`) then the target column,
 * Int32 for class targets (FixedSizeList<Int32> for a sequence of them per row), Float32 (or
 * FixedSizeList<Float32> for target vectors) otherwise.
 * Feature shape and class count go into field metadata so that `loadArrow` restores them.
 * @param dataset - the dataset to convert; its values are copied
 * @param options - the layout of the features and the schema metadata, see {@link WriteArrowOptions}; default `{}`
 */
export function datasetToArrowTable(dataset: TableDataset, options: WriteArrowOptions = {}): Table {
  const op = 'datasetToArrowTable';
  checkWriteOptions(options, op);
  const n = dataset.length;
  const d = dataset.featureDim;
  const layout = options.featureColumn ?? (dataset.featureNames.length === d ? 'columns' : 'list');
  const fields: Field[] = [];
  const columns: Data[] = [];
  if (layout === 'list') {
    const name = dataset.featureNames.length === 1 ? dataset.featureNames[0]! : 'features';
    const metadata = new Map([[FEATURE_SHAPE_KEY, JSON.stringify(dataset.featureShape)]]);
    fields.push(new Field(name, listType(d), false, metadata));
    columns.push(listData(dataset.features, n, d));
  } else {
    const names = featureColumnNames(dataset);
    for (let j = 0; j < d; j++) {
      const column = new Float32Array(n);
      for (let i = 0; i < n; i++) column[i] = dataset.features[i * d + j]!;
      fields.push(new Field(names[j]!, new Float32(), false));
      columns.push(makeData({ type: new Float32(), length: n, data: column }));
    }
  }
  if (fields.some((f) => f.name === dataset.targetName)) {
    throw new RangeError(`${op}: target name '${dataset.targetName}' is also the name of a feature column`);
  }
  const { targets, targetDim } = dataset;
  if (targets instanceof Int32Array) {
    const metadata = new Map([[NUM_CLASSES_KEY, String(dataset.numClasses ?? 0)]]);
    if (dataset.targetShape.length === 0) {
      fields.push(new Field(dataset.targetName, new Int32(), false, metadata));
      columns.push(makeData({ type: new Int32(), length: n, data: targets }));
    } else {
      // A sequence of class indices per row (next-token targets): FixedSizeList<Int32>.
      const type = new FixedSizeList(targetDim, new Field('item', new Int32(), false));
      fields.push(new Field(dataset.targetName, type, false, metadata));
      columns.push(makeData({ type, length: n, child: makeData({ type: new Int32(), length: n * targetDim, data: targets }) }));
    }
  } else if (dataset.targetShape.length === 0) {
    fields.push(new Field(dataset.targetName, new Float32(), false));
    columns.push(makeData({ type: new Float32(), length: n, data: targets }));
  } else {
    fields.push(new Field(dataset.targetName, listType(targetDim), false));
    columns.push(listData(targets, n, targetDim));
  }
  const schema = new Schema(fields, new Map(Object.entries(options.metadata ?? {})));
  const rows = makeData({ type: new Struct(fields), length: n, children: columns });
  return new Table(schema, [new RecordBatch(schema, rows)]);
}

/**
 * The dataset as Arrow IPC bytes (file format unless `format: 'stream'`).
 * @param dataset - the dataset to serialize
 * @param options - the layout, the format ('file' by default, or 'stream') and the schema metadata, see
 *   {@link WriteArrowOptions}; default `{}`
 */
export function datasetToArrowBytes(dataset: TableDataset, options: WriteArrowOptions = {}): Uint8Array {
  checkWriteOptions(options, 'datasetToArrowBytes');
  return tableToIPC(datasetToArrowTable(dataset, options), options.format ?? 'file');
}

/**
 * Writes the dataset as an Arrow IPC file (Feather v2) or stream, through a temporary file
 * renamed into place, so a crash never leaves a half-written dataset at `path`.
 * @param dataset - the dataset to write
 * @param path - the file to create or replace; its directory must exist
 * @param options - the layout, the format and the schema metadata, see {@link WriteArrowOptions}; default `{}`
 */
export function writeArrow(dataset: TableDataset, path: string, options: WriteArrowOptions = {}): void {
  checkWriteOptions(options, 'writeArrow');
  const bytes = datasetToArrowBytes(dataset, options);
  try {
    platform().writeFileAtomic(path, bytes);
  } catch (err) {
    throw new Error(`writeArrow: cannot write ${path}: ${(err as Error).message}`);
  }
}

function listType(size: number): FixedSizeList<Float32> {
  return new FixedSizeList(size, new Field('item', new Float32(), false));
}

function listData(values: Float32Array, rows: number, size: number): Data<DataType> {
  const child = makeData({ type: new Float32(), length: rows * size, data: values });
  return makeData({ type: listType(size), length: rows, child });
}

function featureColumnNames(dataset: TableDataset): readonly string[] {
  const { featureNames, featureDim } = dataset;
  if (featureNames.length === featureDim) return featureNames;
  const base = featureNames.length === 1 ? featureNames[0]! : 'feature';
  return Array.from({ length: featureDim }, (_, j) => `${base}_${j}`);
}
