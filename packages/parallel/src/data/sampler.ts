import { checkFlag, checkOptions, formatValue, Generator } from '@loom/core';

/** Gives the order in which an epoch visits the rows of a dataset. */
export interface Sampler {
  /** Number of indices per epoch. */
  readonly length: number;
  /**
   * The row indices of one epoch, in visiting order.
   * @param epoch - the 0-based epoch; a shuffling sampler's order depends on it (and its seed) alone
   */
  indices(epoch?: number): Int32Array;
}

/** Visits rows 0, 1, …, n−1 every epoch (PyTorch's `SequentialSampler`). */
export class SequentialSampler implements Sampler {
  readonly length: number;

  /**
   * A sampler of `n` rows.
   * @param n - the number of rows, a non-negative integer (else a RangeError)
   */
  constructor(n: number) {
    this.length = checkCount(n, 'SequentialSampler');
  }

  /**
   * The same order whatever the epoch.
   * @param _epoch - ignored: every epoch visits 0, 1, …, n−1
   */
  indices(_epoch?: number): Int32Array {
    const out = new Int32Array(this.length);
    for (let i = 0; i < out.length; i++) out[i] = i;
    return out;
  }
}

/** Options of `RandomSampler`. */
export interface RandomSamplerOptions {
  /** Defaults to 0. */
  seed?: number;
}

/**
 * Visits the rows in a new random order each epoch. The permutation depends on (seed, epoch)
 * alone, never on earlier calls, so any epoch can be replayed or resumed from a checkpoint.
 */
export class RandomSampler implements Sampler {
  readonly length: number;
  readonly seed: number;

  /**
   * A sampler of `n` rows shuffled by `options.seed`.
   * @param n - the number of rows, a non-negative integer (else a RangeError)
   * @param options - see {@link RandomSamplerOptions}; default `{}`: seed 0; a seed that is not a safe integer throws
   */
  constructor(n: number, options: RandomSamplerOptions = {}) {
    checkOptions('RandomSampler', options, ['seed']);
    this.length = checkCount(n, 'RandomSampler');
    this.seed = options.seed ?? 0;
    if (!Number.isSafeInteger(this.seed)) throw new TypeError(`RandomSampler: seed must be an integer, got ${formatValue(this.seed)}`);
  }

  /**
   * A permutation of 0..n−1 that depends on (seed, epoch) alone.
   * @param epoch - the 0-based epoch, a non-negative safe integer (else a RangeError); default 0
   */
  indices(epoch = 0): Int32Array {
    if (!Number.isSafeInteger(epoch) || epoch < 0) {
      throw new RangeError(`RandomSampler.indices: epoch must be a non-negative integer, got ${formatValue(epoch)}`);
    }
    return permutation(this.length, new Generator(epochSeed(this.seed, epoch)));
  }
}

/** Options of `batches`. */
export interface BatchOptions {
  /** Leave out a last batch smaller than `batchSize` (PyTorch's `drop_last`); default false. */
  dropLast?: boolean;
}

/**
 * The [start, end) ranges that cut `n` positions into consecutive batches of `batchSize`; the
 * last is smaller unless `dropLast` leaves it out.
 * @param n - the number of positions, a non-negative integer (0 gives no batches)
 * @param batchSize - positions per batch, a positive integer (else a RangeError)
 * @param options - see {@link BatchOptions}; default `{}`: the smaller last batch is kept
 */
export function batchRanges(n: number, batchSize: number, options: BatchOptions = {}): [number, number][] {
  checkOptions('batchRanges', options, ['dropLast']);
  checkFlag('batchRanges', 'dropLast', options.dropLast);
  if (!Number.isInteger(batchSize) || batchSize <= 0) {
    throw new RangeError(`batchRanges: batchSize should be a positive integer value, but got batchSize=${batchSize}`);
  }
  checkCount(n, 'batchRanges');
  const ranges: [number, number][] = [];
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(start + batchSize, n);
    if (end - start < batchSize && options.dropLast) break;
    ranges.push([start, end]);
  }
  return ranges;
}

/**
 * Cuts an epoch's indices into batches (views of `indices`, no copy), as `batchRanges` does.
 * @param indices - one epoch's row indices in visiting order (as a sampler returns them); the batches are views of it
 * @param batchSize - indices per batch, a positive integer (else a RangeError)
 * @param options - see {@link BatchOptions}; default `{}`: the smaller last batch is kept
 */
export function batches(indices: Int32Array, batchSize: number, options: BatchOptions = {}): Int32Array[] {
  checkOptions('batches', options, ['dropLast']);
  return batchRanges(indices.length, batchSize, options).map(([start, end]) => indices.subarray(start, end));
}

/** A uniformly random permutation of 0..n−1 by Fisher–Yates. */
export function permutation(n: number, generator: Generator): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = generator.nextBelow(i + 1);
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  return out;
}

/**
 * A 32-bit generator seed for (seed, epoch). The murmur3 finaliser is a bijection of 32-bit
 * words, so for one seed distinct epochs (below 2^32) always give distinct streams.
 */
export function epochSeed(seed: number, epoch: number): number {
  const seedWord = fmix32((seed >>> 0) ^ fmix32(Math.floor(seed / 2 ** 32) >>> 0));
  return fmix32((seedWord + epoch) >>> 0);
}

function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function checkCount(n: number, op: string): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${op}: n must be a non-negative integer, got ${formatValue(n)}`);
  return n;
}
