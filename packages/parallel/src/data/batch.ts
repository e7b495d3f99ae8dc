import { Tensor, type TypedArray, formatShape } from '@loom/core';
import type { TableDataset } from './dataset.js';
import { sharedArray } from './cross-thread.js';
import { rowView, rowViews } from './row-views.js';

/** Row indices into a dataset. */
export type RowIndices = Int32Array | readonly number[];

/** One batch as tensors: features [B, ...featureShape] float32, targets [B, ...targetShape]. */
export interface Batch {
  features: Tensor;
  targets: Tensor;
}

/**
 * A new dataset holding copies of the selected rows, in the order given (for validation splits
 * and subsets). Class targets keep the parent's `numClasses`.
 * @param dataset - the dataset to copy rows from; not changed
 * @param indices - row indices, each an integer in [0, dataset.length) (else a RangeError naming it); repeats copy a row again
 */
export function subset(dataset: TableDataset, indices: RowIndices): TableDataset {
  checkIndices(dataset, indices, 'subset');
  const { featureDim: d, targetDim: t } = dataset;
  const features = sharedArray('float32', indices.length * d);
  const targets = sharedArray(dataset.targets instanceof Int32Array ? 'int32' : 'float32', indices.length * t);
  for (let b = 0; b < indices.length; b++) {
    const row = indices[b]!;
    features.set(dataset.features.subarray(row * d, row * d + d), b * d);
    targets.set(dataset.targets.subarray(row * t, row * t + t), b * t);
  }
  return { ...dataset, features, targets, length: indices.length };
}

/**
 * Copies the selected rows into tensors: into `into` when given (no allocation; shapes and dtypes
 * must match), else into new tensors, which come from the arena inside `withArena`.
 * @param dataset - the dataset to read rows from
 * @param indices - row indices B, each an integer in [0, dataset.length) (else a RangeError)
 * @param into - tensors to fill and return: contiguous `features` float32 [B, ...featureShape] and `targets` (int32 for class
 *   targets, else float32) [B, ...targetShape], else a TypeError; default: new tensors
 */
export function gatherBatch(dataset: TableDataset, indices: RowIndices, into?: Batch): Batch {
  checkIndices(dataset, indices, 'gatherBatch');
  const n = indices.length;
  const targetDtype = dataset.targets instanceof Int32Array ? 'int32' : 'float32';
  const batch = into ?? {
    features: Tensor.empty([n, ...dataset.featureShape], 'float32'),
    targets: Tensor.empty([n, ...dataset.targetShape], targetDtype),
  };
  if (into) {
    checkInto(into.features, 'float32', [n, ...dataset.featureShape], 'features');
    checkInto(into.targets, targetDtype, [n, ...dataset.targetShape], 'targets');
  }
  gatherRows(dataset, indices, 0, n, batch.features.data(), batch.targets.data());
  return batch;
}

/**
 * Copies rows `indices[from..to)` of `dataset` into the front of `features` and `targets` (which
 * must be large enough and of the dataset's dtypes), making no garbage: a replayed chunk's batch.
 * The indices must be in range (gatherBatch checks them; a worker's come from its sampler).
 */
export function gatherRows(
  dataset: TableDataset,
  indices: RowIndices,
  from: number,
  to: number,
  features: TypedArray,
  targets: TypedArray,
): void {
  const { featureDim: d, targetDim: t } = dataset;
  const sourceFeatures = dataset.features;
  const sourceTargets = dataset.targets;
  const views = rowViews(sourceFeatures, d);
  for (let b = 0; b < to - from; b++) {
    const row = indices[from + b]!;
    // Kept views or element loops: `set(subarray(…))` would allocate a view per row.
    if (views !== null) features.set(rowView(views, sourceFeatures, d, row), b * d);
    else for (let j = 0, src = row * d, dst = b * d; j < d; j++) features[dst + j] = sourceFeatures[src + j]!;
    for (let j = 0, src = row * t, dst = b * t; j < t; j++) targets[dst + j] = sourceTargets[src + j]!;
  }
}

function checkIndices(dataset: TableDataset, indices: RowIndices, op: string): void {
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i]!;
    if (!Number.isInteger(row) || row < 0 || row >= dataset.length) {
      throw new RangeError(`${op}: index ${row} at position ${i} is out of range for a dataset of ${dataset.length} rows`);
    }
  }
}

function checkInto(tensor: Tensor, dtype: 'float32' | 'int32', shape: number[], name: string): void {
  const sameShape = tensor.shape.length === shape.length && tensor.shape.every((s, i) => s === shape[i]);
  if (tensor.dtype !== dtype || !sameShape || !tensor.isContiguous()) {
    throw new TypeError(
      `gatherBatch: into.${name} must be a contiguous ${dtype} tensor of shape ${formatShape(shape)}, ` +
        `got ${tensor.dtype} ${formatShape(tensor.shape)}${tensor.isContiguous() ? '' : ' (not contiguous)'}`,
    );
  }
}
