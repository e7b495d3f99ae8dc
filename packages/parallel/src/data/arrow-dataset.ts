import { Tensor } from '@loom/core';
import { loadArrow, type LoadArrowOptions } from './arrow/load.js';
import type { TableDataset } from './dataset.js';
import { checkIndex, type Dataset } from './map-style.js';

/**
 * A map-style dataset over a table in shared memory (what `loadArrow` reads): sample i is
 * `[features, target]`, features of the table's `featureShape` (float32) and the target of its
 * `targetShape` (an int32 class index or float32 values), as a torchvision dataset's
 * `(image, label)`. A `DataLoader` over it gathers whole batches at once; `table` is what the
 * data-parallel trainer takes.
 */
export class ArrowDataset implements Dataset<[Tensor, Tensor]> {
  constructor(
    /** The rows in shared memory. */
    readonly table: TableDataset,
  ) {}

  /**
   * Reads an Arrow IPC file (or its bytes) with `loadArrow` and wraps it.
   * @param source - a file path, or the bytes of an Arrow IPC file or stream
   * @param options - which columns are the features and the target, see {@link LoadArrowOptions}
   */
  static load(source: string | Uint8Array, options: LoadArrowOptions): ArrowDataset {
    return new ArrowDataset(loadArrow(source, options));
  }

  get length(): number {
    return this.table.length;
  }

  /**
   * Row `index` as new tensors `[features, target]`.
   * @param index - the row, an integer in [0, length) (else a RangeError)
   */
  get(index: number): [Tensor, Tensor] {
    checkIndex(index, this.length, 'ArrowDataset');
    const { features, targets, featureDim: d, targetDim: t, featureShape, targetShape } = this.table;
    const x = Tensor.empty(featureShape, 'float32');
    x.data().set(features.subarray(index * d, index * d + d));
    const y = Tensor.empty(targetShape, targets instanceof Int32Array ? 'int32' : 'float32');
    y.data().set(targets.subarray(index * t, index * t + t));
    return [x, y];
  }
}
