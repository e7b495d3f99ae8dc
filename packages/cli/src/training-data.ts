import { existsSync, statSync } from 'node:fs';
import type { Schema } from 'apache-arrow';
import { MNIST_FEATURES, type TableDataset, ensureMnistArrow, loadArrow, readArrowSchema, trainValSplit } from '@loom/parallel';
import type { TrainConfig } from './config.js';
import { UsageError } from './errors.js';
import { cnnInputShape, isCnnModel } from './model-spec.js';
import { displayPath } from './output/summary.js';

/** A dataset as the model will see it, and where it came from. */
export interface LoadedData {
  dataset: TableDataset;
  /** The Arrow file read (the cached MNIST file for the built-in dataset). */
  path: string;
  builtin: boolean;
  /** The feature columns read (all but the target, unless named). */
  features: string[];
  /** The names of the classes, when `loom data convert` turned text labels into indices; else null. */
  classNames: string[] | null;
}

/** Field metadata `loom data convert` writes on a column of text labels turned into class indices: their names, as JSON. */
export const CLASS_NAMES_KEY = 'loom.classNames';

/** Losses whose target is one class index per row: a float target column is read as class indices (and checked to be whole). */
const CLASS_LOSSES = new Set(['CrossEntropyLoss', 'cross_entropy', 'NLLLoss', 'nll_loss', 'MultiMarginLoss', 'multi_margin_loss']);

/** A train/validation split of a dataset. */
export interface SplitData {
  train: TableDataset;
  validation: TableDataset | null;
}

/** Throws a UsageError unless `path` is a readable file. */
export function requireFile(path: string, what = 'data file'): void {
  if (!existsSync(path)) throw new UsageError(`no such ${what}: ${displayPath(path)}`);
  if (!statSync(path).isFile()) throw new UsageError(`${what} ${displayPath(path)} is a directory, not a file`);
}

/** The schema of an Arrow IPC file or stream, read without loading its record batches; empty, truncated and foreign files are refused, named. */
export function readSchema(path: string): Schema {
  requireFile(path);
  try {
    return readArrowSchema(path);
  } catch (error) {
    const message = (error as Error).message.replace(/^readArrowSchema: /, '').replace(path, displayPath(path));
    const hint = /not an Arrow IPC file/.test(message) ? ' (convert a CSV with: loom data convert file.csv file.arrow)' : '';
    throw new UsageError(`${message}${hint}`);
  }
}

/**
 * Reads the config's dataset (the built-in MNIST digits when `data` is null) through loadArrow,
 * after checking the columns against the file's schema, and shapes each row for the model: the
 * `--input-shape`, else [C, H, W] for `cnn` and `cnn-bn`, else a flat vector.
 */
export function loadData(config: Pick<TrainConfig, 'data' | 'features' | 'target' | 'model' | 'inputShape' | 'loss'>): LoadedData {
  const builtin = config.data === null;
  const path = builtin ? ensureMnistArrow().path : config.data!;
  const target = config.target;
  const schema = readSchema(path);
  const columns = schema.fields.map((f) => f.name);
  const available = (): string => schema.fields.map((f) => `${f.name} (${String(f.type)})`).join(', ');
  for (const name of [target, ...(config.features ?? [])]) {
    if (!columns.includes(name)) throw new UsageError(`no column '${name}' in ${displayPath(path)}; available columns: ${available()}`);
  }
  const features = config.features ?? (builtin ? [MNIST_FEATURES] : columns.filter((c) => c !== target));
  if (features.length === 0) throw new UsageError(`${displayPath(path)} has no column besides the target '${target}' to use as features`);
  const targetField = schema.fields.find((f) => f.name === target)!;
  const classNames = targetField.metadata.has(CLASS_NAMES_KEY)
    ? (JSON.parse(targetField.metadata.get(CLASS_NAMES_KEY)!) as string[])
    : null;
  let dataset: TableDataset;
  try {
    dataset = loadArrow(path, { features, target, ...(CLASS_LOSSES.has(config.loss.name) ? { targetKind: 'class' as const } : {}) });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^loadArrow: /, '').replace(path, displayPath(path)));
  }
  if (dataset.targetKind === 'class') checkClassLabels(dataset, config.loss, displayPath(path));
  return { dataset: reshape(dataset, config), path, builtin, features, classNames };
}

/**
 * Class labels run from 0: a negative one is refused with its row, unless it is the loss's
 * `ignoreIndex` (-100 by default for cross-entropy and NLL, as in PyTorch), which marks rows to skip.
 */
function checkClassLabels(dataset: TableDataset, loss: TrainConfig['loss'], file: string): void {
  const ignoreIndex = typeof loss.options.ignoreIndex === 'number' ? loss.options.ignoreIndex : -100;
  const targets = dataset.targets as Int32Array;
  for (let row = 0; row < targets.length; row++) {
    const label = targets[row]!;
    if (label >= 0 || label === ignoreIndex) continue;
    throw new UsageError(
      `column '${dataset.targetName}' holds the class label ${label} at row ${row} of ${file}; class labels are 0, 1, 2, … (only the loss's ignoreIndex ${ignoreIndex} may be negative)`,
    );
  }
}

function reshape(dataset: TableDataset, config: Pick<TrainConfig, 'model' | 'inputShape'>): TableDataset {
  const isCnn = isCnnModel(config.model);
  let featureShape: number[];
  if (isCnn) {
    const stored = dataset.featureShape.length === 3 ? [...dataset.featureShape] : null;
    featureShape = cnnInputShape(config.inputShape ?? stored, dataset);
  } else if (config.inputShape !== null) {
    const size = config.inputShape.reduce((a, b) => a * b, 1);
    if (size !== dataset.featureDim) {
      throw new UsageError(
        `--input-shape ${config.inputShape.join(',')} holds ${size} values but the data has ${dataset.featureDim} per row`,
      );
    }
    featureShape = [...config.inputShape];
  } else {
    featureShape = [dataset.featureDim];
  }
  return { ...dataset, featureShape };
}

/**
 * The seeded split `loom train` uses (and `loom eval` repeats to find the validation rows), as two
 * views of the loaded dataset's own memory: its rows are reordered in place, the training rows
 * first, then the validation rows, each in index order — the same rows in the same order as
 * `subset` would copy out. Copies would double the data's memory, and the whole dataset would
 * stay behind as garbage that a mostly idle main thread may never collect. The dataset passed in
 * is consumed: its rows are no longer in the file's order.
 */
export function splitData(dataset: TableDataset, valSplit: number, seed: number): SplitData {
  if (valSplit === 0) return { train: dataset, validation: null };
  const { train, val } = trainValSplit(dataset.length, valSplit, seed);
  if (train.length === 0) throw new UsageError(`--val-split ${valSplit} leaves no training rows out of ${dataset.length}`);
  const order = new Int32Array(dataset.length);
  order.set(train);
  order.set(val, train.length);
  reorderRows(dataset, order);
  return { train: rowRange(dataset, 0, train.length), validation: val.length > 0 ? rowRange(dataset, train.length, dataset.length) : null };
}

/** Puts old row order[k] at row k, for every k, following the permutation's cycles once with one row of scratch per array. */
function reorderRows(dataset: TableDataset, order: Int32Array): void {
  const arrays = [
    { values: dataset.features, width: dataset.featureDim, scratch: dataset.features.slice(0, dataset.featureDim) },
    { values: dataset.targets, width: dataset.targetDim, scratch: dataset.targets.slice(0, dataset.targetDim) },
  ];
  const placed = new Uint8Array(order.length);
  for (let start = 0; start < order.length; start++) {
    if (placed[start] === 1) continue;
    for (const { values, width, scratch } of arrays) scratch.set(values.subarray(start * width, start * width + width));
    for (let row = start; ;) {
      placed[row] = 1;
      const from = order[row]!;
      for (const { values, width, scratch } of arrays) {
        if (from === start) values.set(scratch, row * width);
        else values.copyWithin(row * width, from * width, from * width + width);
      }
      if (from === start) break;
      row = from;
    }
  }
}

/** Rows [start, end) of a dataset, as views of its memory. */
function rowRange(dataset: TableDataset, start: number, end: number): TableDataset {
  const { featureDim: d, targetDim: t } = dataset;
  return {
    ...dataset,
    features: dataset.features.subarray(start * d, end * d),
    targets: dataset.targets.subarray(start * t, end * t),
    length: end - start,
  };
}
