import type { TableDataset, TargetKind } from './dataset.js';

// Nothing is imported at run time here, so a worker can load this file on its own.

/**
 * A dataset as plain structured-clonable data: the SharedArrayBuffers travel to a worker by
 * reference (postMessage shares them), everything else is a few numbers and strings.
 */
export interface SharedDataset {
  /** Names this dataset across threads (the same dataset always gets the same id), for caches. */
  id: string;
  featuresBuffer: SharedArrayBuffer;
  featuresByteOffset: number;
  targetsBuffer: SharedArrayBuffer;
  targetsByteOffset: number;
  targetsDtype: 'int32' | 'float32';
  length: number;
  featureShape: number[];
  targetShape: number[];
  targetKind: TargetKind;
  numClasses?: number | undefined;
  featureNames: string[];
  targetName: string;
}

/** A new zero-filled Float32Array or Int32Array over its own SharedArrayBuffer. */
export function sharedArray(dtype: 'float32', length: number): Float32Array;
export function sharedArray(dtype: 'int32', length: number): Int32Array;
export function sharedArray(dtype: 'float32' | 'int32', length: number): Float32Array | Int32Array;
export function sharedArray(dtype: 'float32' | 'int32', length: number): Float32Array | Int32Array {
  const buffer = new SharedArrayBuffer(length * 4);
  return dtype === 'float32' ? new Float32Array(buffer) : new Int32Array(buffer);
}

const ids = new WeakMap<TableDataset, string>();

/**
 * The descriptor of a dataset, to post to a worker; copies no element.
 * @param dataset - a dataset over SharedArrayBuffers (from `loadArrow`, `datasetFromArrays` or `subset`; else a
 *   TypeError); the same dataset always gets the same `id`
 */
export function datasetToShared(dataset: TableDataset): SharedDataset {
  const { features, targets } = dataset;
  if (!(features.buffer instanceof SharedArrayBuffer) || !(targets.buffer instanceof SharedArrayBuffer)) {
    throw new TypeError(
      'datasetToShared: the dataset is not over SharedArrayBuffers; build it with loadArrow, datasetFromArrays or subset',
    );
  }
  let id = ids.get(dataset);
  if (id === undefined) {
    id = crypto.randomUUID();
    ids.set(dataset, id);
  }
  return {
    id,
    featuresBuffer: features.buffer,
    featuresByteOffset: features.byteOffset,
    targetsBuffer: targets.buffer,
    targetsByteOffset: targets.byteOffset,
    targetsDtype: targets instanceof Int32Array ? 'int32' : 'float32',
    length: dataset.length,
    featureShape: [...dataset.featureShape],
    targetShape: [...dataset.targetShape],
    targetKind: dataset.targetKind,
    featureNames: [...dataset.featureNames],
    targetName: dataset.targetName,
    numClasses: dataset.numClasses,
  };
}

/**
 * The dataset a descriptor describes, as views over the same shared memory (no copy), keeping its id.
 * @param descriptor - what `datasetToShared` returned, possibly received through `postMessage` on another thread
 */
export function datasetFromShared(descriptor: SharedDataset): TableDataset {
  const { length, featureShape, targetShape } = descriptor;
  const featureDim = product(featureShape);
  const targetDim = product(targetShape);
  if (!(descriptor.featuresBuffer instanceof SharedArrayBuffer) || !(descriptor.targetsBuffer instanceof SharedArrayBuffer)) {
    throw new TypeError('datasetFromShared: featuresBuffer and targetsBuffer must be SharedArrayBuffers');
  }
  const features = new Float32Array(descriptor.featuresBuffer, descriptor.featuresByteOffset, length * featureDim);
  const targets =
    descriptor.targetsDtype === 'int32'
      ? new Int32Array(descriptor.targetsBuffer, descriptor.targetsByteOffset, length * targetDim)
      : new Float32Array(descriptor.targetsBuffer, descriptor.targetsByteOffset, length * targetDim);
  const dataset: TableDataset = {
    features,
    targets,
    length,
    featureDim,
    featureShape,
    targetDim,
    targetShape,
    targetKind: descriptor.targetKind,
    featureNames: descriptor.featureNames,
    targetName: descriptor.targetName,
    numClasses: descriptor.numClasses,
  };
  ids.set(dataset, descriptor.id);
  return dataset;
}

function product(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
