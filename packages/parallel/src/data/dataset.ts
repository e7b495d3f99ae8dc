import { checkOptions, formatValue, optionKeys } from '@loom/core';
import { sharedArray } from './cross-thread.js';

/** Class indices (int32, for cross-entropy) or real values (float32, for regression/probabilities). */
export type TargetKind = 'class' | 'regression';

/**
 * A labelled table held once in shared memory: N rows of D float32 features (row-major) and
 * their targets — what `loadArrow` and `datasetFromArrays` return and the data-parallel trainer
 * reads. Every worker reads the same bytes (see `datasetToShared`). For `ds.get(i)` and a
 * `DataLoader`, wrap it in an `ArrowDataset`.
 */
export interface TableDataset {
  /** N×D float32 features, row-major, over a SharedArrayBuffer. */
  readonly features: Float32Array;
  /** N×T targets over a SharedArrayBuffer: int32 class indices or float32 values. */
  readonly targets: Int32Array | Float32Array;
  /** Number of rows N. */
  readonly length: number;
  /** Values per row D (the product of `featureShape`). */
  readonly featureDim: number;
  /** The shape of one row's features, e.g. [784] or [1, 28, 28]. */
  readonly featureShape: readonly number[];
  /** Values per row's target T (1 for a scalar target). */
  readonly targetDim: number;
  /** The shape of one row's target: [] for a scalar, [T] for a vector of probabilities/values. */
  readonly targetShape: readonly number[];
  readonly targetKind: TargetKind;
  /** For class targets: the number of classes (at least the largest index + 1). */
  readonly numClasses?: number | undefined;
  /** The source columns the features were read from, in order. */
  readonly featureNames: readonly string[];
  /** The source column of the targets. */
  readonly targetName: string;
}

/** Arrays and shapes to build a dataset from in code. */
export interface DatasetArrays {
  /** N×D values, row-major; converted to float32. */
  features: ArrayLike<number>;
  /** D; give this or `featureShape`. */
  featureDim?: number;
  /** The shape of one row, e.g. [1, 28, 28]; defaults to [featureDim]. */
  featureShape?: readonly number[];
  /** N×T values: class indices (integers) or real values. */
  targets: ArrayLike<number>;
  /** Defaults to 'class' for integer typed arrays (Int32Array, Uint8Array, …), else 'regression'. */
  targetKind?: TargetKind;
  /** The shape of one row's target; defaults to [] (one value per row). */
  targetShape?: readonly number[];
  /** For class targets; defaults to the largest index + 1. */
  numClasses?: number;
  /** Defaults to ['features']. */
  featureNames?: readonly string[];
  /** Defaults to 'label' for class targets and 'target' for regression. */
  targetName?: string;
}

const DATASET_ARRAYS_KEYS = optionKeys<DatasetArrays>({
  features: true,
  featureDim: true,
  featureShape: true,
  targets: true,
  targetKind: true,
  targetShape: true,
  numClasses: true,
  featureNames: true,
  targetName: true,
});

/**
 * A dataset from arrays built in code. Features that are already a Float32Array over a
 * SharedArrayBuffer (and int32/float32 targets likewise) are used as they are; anything else is
 * copied once into new SharedArrayBuffers.
 * @param arrays - the features, targets and shapes, see {@link DatasetArrays}; their lengths must agree (N×D features,
 *   N×T targets), and class targets must be int32 integers
 */
export function datasetFromArrays(arrays: DatasetArrays): TableDataset {
  const op = 'datasetFromArrays';
  if (arrays === undefined || arrays === null) throw new TypeError(`${op}: { features, targets, … } are required`);
  checkOptions(op, arrays, DATASET_ARRAYS_KEYS);
  const featureShape = resolveFeatureShape(arrays, op);
  const featureDim = shapeSize(featureShape);
  if (arrays.features.length % featureDim !== 0) {
    throw new RangeError(`${op}: features has ${arrays.features.length} values, not a multiple of featureDim ${featureDim}`);
  }
  const length = arrays.features.length / featureDim;
  const targetShape = [...(arrays.targetShape ?? [])];
  checkShape(targetShape, 'targetShape', op);
  const targetDim = shapeSize(targetShape);
  if (arrays.targets.length !== length * targetDim) {
    throw new RangeError(
      `${op}: targets has ${arrays.targets.length} values but ${length} rows × ${targetDim} values per target need ${length * targetDim}`,
    );
  }
  const targetKind = arrays.targetKind ?? (isIntegerArray(arrays.targets) ? 'class' : 'regression');
  if (targetKind !== 'class' && targetKind !== 'regression') {
    throw new TypeError(`${op}: targetKind must be 'class' or 'regression', got '${String(targetKind)}'`);
  }
  const features = toShared(arrays.features, 'float32');
  const targets = targetKind === 'class' ? classTargets(arrays.targets, op) : toShared(arrays.targets, 'float32');
  return {
    features,
    targets,
    length,
    featureDim,
    featureShape,
    targetDim,
    targetShape,
    targetKind,
    numClasses: targetKind === 'class' ? countClasses(targets as Int32Array, arrays.numClasses, op) : undefined,
    featureNames: [...(arrays.featureNames ?? ['features'])],
    targetName: arrays.targetName ?? (targetKind === 'class' ? 'label' : 'target'),
  };
}

/**
 * The number of classes of int32 targets: the largest index + 1, or `declared` when given (it must
 * then exceed every index). Negative indices are allowed (PyTorch's `ignoreIndex` is -100).
 */
export function countClasses(targets: Int32Array, declared: number | undefined, op: string): number {
  let max = -1;
  for (let i = 0; i < targets.length; i++) if (targets[i]! > max) max = targets[i]!;
  if (declared === undefined) return max + 1;
  if (!Number.isInteger(declared) || declared <= max) {
    throw new RangeError(`${op}: numClasses ${declared} must be an integer greater than the largest class index ${max}`);
  }
  return declared;
}

/** Checks a shape of positive integers; returns the number of values it holds. */
export function checkShape(shape: readonly number[], name: string, op: string): number {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new RangeError(`${op}: ${name} must be a list of positive integers, got [${String(shape)}]`);
  }
  return shapeSize(shape);
}

function resolveFeatureShape(arrays: DatasetArrays, op: string): number[] {
  const { featureDim, featureShape } = arrays;
  if (featureShape !== undefined) {
    const size = checkShape(featureShape, 'featureShape', op);
    if (featureDim !== undefined && featureDim !== size) {
      throw new RangeError(`${op}: featureShape [${featureShape.join(', ')}] holds ${size} values but featureDim is ${featureDim}`);
    }
    return [...featureShape];
  }
  if (featureDim === undefined || !Number.isInteger(featureDim) || featureDim <= 0) {
    throw new RangeError(`${op}: featureDim must be a positive integer (or give featureShape), got ${formatValue(featureDim)}`);
  }
  return [featureDim];
}

function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function isIntegerArray(values: ArrayLike<number>): boolean {
  return (
    values instanceof Int32Array ||
    values instanceof Int16Array ||
    values instanceof Int8Array ||
    values instanceof Uint32Array ||
    values instanceof Uint16Array ||
    values instanceof Uint8Array ||
    values instanceof Uint8ClampedArray
  );
}

function toShared(values: ArrayLike<number>, dtype: 'float32'): Float32Array {
  if (values instanceof Float32Array && values.buffer instanceof SharedArrayBuffer) return values;
  const out = sharedArray(dtype, values.length);
  out.set(values);
  return out;
}

function classTargets(values: ArrayLike<number>, op: string): Int32Array {
  if (values instanceof Int32Array && values.buffer instanceof SharedArrayBuffer) return values;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw new RangeError(`${op}: class target at row ${i} is ${v}, not an int32 class index`);
    }
  }
  const out = sharedArray('int32', values.length);
  out.set(values);
  return out;
}
