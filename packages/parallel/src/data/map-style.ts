/**
 * Map-style datasets, as `torch.utils.data`: anything with a `length` and `get(i)` is a Dataset
 * (PyTorch's `len(ds)` and `ds[i]`); TensorDataset, Subset and randomSplit build on that.
 */
import { formatShape, formatValue, Generator, Tensor } from '@loom/core';
import { epochSeed, permutation } from './sampler.js';

/**
 * A map-style dataset: `length` samples, each read by `get(index)`, as `torch.utils.data.Dataset`
 * (`len(ds)` is `ds.length`, `ds[i]` is `ds.get(i)`). Implement it with a class or a plain object.
 */
export interface Dataset<T> {
  /** The number of samples. */
  readonly length: number;
  /**
   * The sample at `index` (0 ≤ index < length).
   * @param index - the sample's position, an integer in [0, length)
   */
  get(index: number): T;
}

/** Throws unless `index` is an integer in [0, length). */
export function checkIndex(index: number, length: number, owner: string): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new RangeError(`${owner}: index ${index} is out of range for a dataset of ${length} samples`);
  }
}

/**
 * Samples of tensors that share their first dimension: sample i is `[t0.get(i), t1.get(i), …]`
 * (views, no copy), as `torch.utils.data.TensorDataset(x, y)`.
 */
export class TensorDataset implements Dataset<Tensor[]> {
  /** The tensors, each holding one row per sample. */
  readonly tensors: readonly Tensor[];
  readonly length: number;

  /**
   * Checks that the tensors share their first dimension.
   * @param tensors - one or more tensors (none throws), each with at least one dimension and the same size N of dimension 0
   */
  constructor(...tensors: Tensor[]) {
    const first = tensors[0];
    if (first === undefined) throw new TypeError('TensorDataset: expected at least one tensor');
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new TypeError(`TensorDataset: argument ${i + 1} must be a Tensor, got ${formatValue(t)}`);
    });
    if (tensors.some((t) => t.ndim === 0 || t.shape[0] !== first.shape[0])) {
      throw new RangeError(
        `TensorDataset: size mismatch between tensors (shapes ${tensors.map((t) => formatShape(t.shape)).join(', ')}); every tensor needs the same first dimension`,
      );
    }
    this.tensors = [...tensors];
    this.length = first.shape[0]!;
  }

  /**
   * The index-th row of every tensor.
   * @param index - the sample, an integer in [0, length) (else a RangeError)
   */
  get(index: number): Tensor[] {
    checkIndex(index, this.length, 'TensorDataset');
    return this.tensors.map((t) => t.get(index));
  }
}

/** The samples of `dataset` at `indices`, in that order, as `torch.utils.data.Subset`. */
export class Subset<T> implements Dataset<T> {
  /** The positions in `dataset`, checked once. */
  readonly indices: Int32Array;

  /**
   * Checks the positions once.
   * @param indices - positions in `dataset`, each an integer in [0, dataset.length) (else a RangeError); copied as int32
   */
  constructor(
    /** The dataset the samples come from. */
    readonly dataset: Dataset<T>,
    indices: ArrayLike<number>,
  ) {
    this.indices = Int32Array.from(indices);
    this.indices.forEach((i, k) => {
      if (!Number.isInteger(indices[k]) || i < 0 || i >= dataset.length) {
        throw new RangeError(`Subset: index ${indices[k]} at position ${k} is out of range for a dataset of ${dataset.length} samples`);
      }
    });
  }

  get length(): number {
    return this.indices.length;
  }

  /**
   * Sample `indices[index]` of the parent dataset.
   * @param index - the position in this subset, an integer in [0, length) (else a RangeError)
   */
  get(index: number): T {
    checkIndex(index, this.length, 'Subset');
    return this.dataset.get(this.indices[index]!);
  }
}

/**
 * Splits `dataset` at random into non-overlapping subsets of the given `lengths`, as
 * `torch.utils.data.random_split`: counts, or fractions summing to 1 (the rows left by flooring go
 * one each to the first subsets, as PyTorch). The split depends on `seed` alone.
 * @param dataset - the dataset to split; the subsets view it, nothing is copied
 * @param lengths - the subsets' sizes: non-negative counts summing to `dataset.length`, or fractions summing to 1
 * @param seed - the split's seed, a safe integer; default 0
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[], seed = 0): Subset<T>[] {
  const n = dataset.length;
  let counts = [...lengths];
  const total = counts.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) < 1e-9 && counts.every((l) => l >= 0 && l <= 1)) {
    counts = counts.map((f) => Math.floor(n * f));
    const remainder = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) counts[i % counts.length]! += 1;
  }
  if (counts.some((c) => !Number.isInteger(c) || c < 0) || counts.reduce((a, b) => a + b, 0) !== n) {
    throw new RangeError(
      `randomSplit: lengths [${lengths.join(', ')}] must be non-negative counts summing to ${n}, or fractions summing to 1`,
    );
  }
  if (!Number.isSafeInteger(seed)) throw new TypeError(`randomSplit: seed must be an integer, got ${formatValue(seed)}`);
  const order = permutation(n, new Generator(epochSeed(seed ^ 0x5711, 0xfffffffe)));
  let start = 0;
  return counts.map((c) => new Subset(dataset, order.subarray(start, (start += c))));
}
