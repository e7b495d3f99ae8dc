import { checkFlag, checkOptions, formatValue, indexSelect, stack, Tensor, tensor } from '@loom/core';
import { ArrowDataset } from './arrow-dataset.js';
import { gatherBatch } from './batch.js';
import { type Dataset, TensorDataset } from './map-style.js';
import { batches, RandomSampler, SequentialSampler } from './sampler.js';

/**
 * What the default collate makes of a list of samples of type T: tensors are stacked along a new
 * first dim, numbers and booleans become a 1-D tensor, and arrays and objects are collated
 * position by position and key by key, as PyTorch's `default_collate`.
 */
export type Collated<T> = T extends Tensor
  ? Tensor
  : T extends number | boolean
    ? Tensor
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Collated<T[K]> }
      : T extends object
        ? { [K in keyof T]: Collated<T[K]> }
        : never;

/** Options of `DataLoader`, as `torch.utils.data.DataLoader`'s (camelCased). */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Visit the samples in a new random order each epoch (default false). */
  shuffle?: boolean;
  /** Leave out a last batch smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /**
   * Seeds the shuffle (default 0): epoch e visits the permutation of (seed, e) whatever happened
   * before, so runs repeat exactly. (PyTorch takes a `generator` instead.)
   */
  seed?: number;
  /**
   * Makes a batch from a list of samples (default: `defaultCollate`). Tensors it returns are the
   * caller's to manage: the loader releases only the batches it made itself.
   */
  collate?: (samples: T[]) => B;
}

/**
 * PyTorch's `default_collate`: stacks tensors along a new first dim, turns numbers into a 1-D
 * tensor (int32 when all are integers, else float32) and booleans into a bool tensor, and
 * recurses into arrays and plain objects.
 * @param samples - one batch's samples, at least one, all of the same structure as the first
 */
export function defaultCollate<T>(samples: readonly T[]): Collated<T> {
  const first = samples[0];
  if (first === undefined) throw new RangeError('defaultCollate: expected at least one sample');
  if (first instanceof Tensor) return stack(samples as readonly Tensor[]) as Collated<T>;
  if (typeof first === 'number') {
    const values = samples as readonly number[];
    return tensor(values.every(Number.isInteger) ? Int32Array.from(values) : Float32Array.from(values)) as Collated<T>;
  }
  if (typeof first === 'boolean') return tensor(samples as readonly boolean[] as boolean[]) as Collated<T>;
  if (Array.isArray(first)) {
    return first.map((_, i) => defaultCollate(samples.map((s) => (s as readonly unknown[])[i]))) as Collated<T>;
  }
  if (typeof first === 'object' && first !== null && Object.getPrototypeOf(first) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) out[key] = defaultCollate(samples.map((s) => (s as Record<string, unknown>)[key]));
    return out as Collated<T>;
  }
  const kind = first === null ? 'null' : typeof first === 'object' ? (first.constructor?.name ?? 'object') : typeof first;
  throw new TypeError(
    `defaultCollate: samples must be tensors, numbers, booleans, arrays or plain objects of those; got ${kind} (pass a collate function)`,
  );
}

/** Every tensor in a collated batch. */
function tensorsIn(batch: unknown, out: Tensor[] = []): Tensor[] {
  if (batch instanceof Tensor) out.push(batch);
  else if (Array.isArray(batch)) for (const b of batch) tensorsIn(b, out);
  else if (typeof batch === 'object' && batch !== null) for (const b of Object.values(batch)) tensorsIn(b, out);
  return out;
}

const KNOWN_OPTIONS = ['batchSize', 'shuffle', 'dropLast', 'seed', 'collate'] as const;

/**
 * Batches of a map-style dataset, as `torch.utils.data.DataLoader`: iterate it with `for … of`
 * (or `for await … of`, which also lets the event loop run between batches). Each loop is one
 * epoch; with `shuffle` each epoch has its own seeded order.
 *
 * A batch lives for one iteration step: when the loop moves on to the next batch, the memory of
 * the batch the loader made is given back at once and its tensors throw if read later — a long
 * synchronous loop never waits for the garbage collector. `clone()` what you keep. A loop left
 * early (`break`, or `const [[x, y]] = loader` for one batch) keeps its last batch.
 * `TensorDataset`s and `ArrowDataset`s are batched directly (one copy per tensor, no per-sample
 * tensors); other datasets go through `get(i)` and `collate`.
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B>, AsyncIterable<B> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly seed: number;
  private readonly collate: ((samples: T[]) => B) | null;
  /** The next epoch a loop over the loader will visit. */
  private nextEpoch = 0;

  /**
   * Checks the options and the dataset (it needs an integer `length` and a `get(index)` method).
   * @param options - see {@link DataLoaderOptions}; default `{}`: batches of 1, in order; unknown keys throw
   */
  constructor(
    /** The samples. */
    readonly dataset: Dataset<T>,
    options: DataLoaderOptions<T, B> = {},
  ) {
    checkOptions('DataLoader', options, KNOWN_OPTIONS);
    const { batchSize = 1, shuffle = false, dropLast = false, seed = 0, collate } = options;
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new RangeError(`DataLoader: batchSize should be a positive integer value, but got batchSize=${batchSize}`);
    }
    if (!Number.isSafeInteger(seed)) throw new TypeError(`DataLoader: seed must be an integer, got ${formatValue(seed)}`);
    if (collate !== undefined && typeof collate !== 'function') throw new TypeError('DataLoader: collate must be a function');
    if (!dataset || !Number.isInteger(dataset.length) || typeof dataset.get !== 'function') {
      throw new TypeError('DataLoader: dataset must have an integer length and a get(index) method (a map-style Dataset)');
    }
    this.batchSize = batchSize;
    this.shuffle = checkFlag('DataLoader', 'shuffle', shuffle)!;
    this.dropLast = checkFlag('DataLoader', 'dropLast', dropLast)!;
    this.seed = seed;
    this.collate = collate ?? null;
  }

  /** The number of batches per epoch, as PyTorch's `len(loader)`. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /**
   * Sets the epoch the next loop visits (the shuffled order depends on (seed, epoch)), for
   * resuming; loops otherwise count epochs from 0 themselves.
   * @param epoch - the 0-based epoch, a non-negative safe integer (else a RangeError)
   */
  setEpoch(epoch: number): void {
    if (!Number.isSafeInteger(epoch) || epoch < 0)
      throw new RangeError(`DataLoader.setEpoch: epoch must be a non-negative integer, got ${formatValue(epoch)}`);
    this.nextEpoch = epoch;
  }

  /**
   * The sample indices of each batch of `epoch`.
   * @param epoch - the 0-based epoch; with `shuffle` the order depends on (seed, epoch) alone, without it not at all
   */
  batchIndices(epoch: number): Int32Array[] {
    const n = this.dataset.length;
    const order = this.shuffle ? new RandomSampler(n, { seed: this.seed }).indices(epoch) : new SequentialSampler(n).indices();
    return batches(order, this.batchSize, { dropLast: this.dropLast });
  }

  *[Symbol.iterator](): Iterator<B> {
    const epoch = this.nextEpoch++;
    for (const rows of this.batchIndices(epoch)) {
      const batch = this.fetch(rows);
      yield batch;
      // Only when the loop asks for the next batch: a loop left by break, or a destructuring
      // `const [[x, y]] = loader`, keeps its last batch (the garbage collector frees it).
      if (this.collate === null) for (const t of tensorsIn(batch)) t.storage.dispose();
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    for (const batch of this) {
      yield batch;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** One batch: gathered directly for tensor and Arrow datasets, else collated from samples. */
  private fetch(rows: Int32Array): B {
    const { dataset } = this;
    if (this.collate) return this.collate(Array.from(rows, (i) => dataset.get(i)));
    if (dataset instanceof TensorDataset) {
      const index = tensor(rows.slice());
      const batch = dataset.tensors.map((t) => indexSelect(t.detach(), 0, index));
      index.storage.dispose();
      return batch as B;
    }
    if (dataset instanceof ArrowDataset) {
      const { features, targets } = gatherBatch(dataset.table, rows);
      return [features, targets] as B;
    }
    return defaultCollate(Array.from(rows, (i) => dataset.get(i))) as B;
  }
}
