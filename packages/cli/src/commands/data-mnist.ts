import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode, UsageError } from '../errors.js';
import { MNIST_DIGITS, MNIST_FEATURES, MNIST_TARGET, writeMnistArrow } from '@loom/parallel';
import { wantsJson, writeJsonLine } from '../output/json-lines.js';
import { displayPath, formatCount } from '../output/summary.js';

/** Options of `loom data mnist`. */
export interface DataMnistOptions {
  out: string;
  limit: number | undefined;
  overwrite: boolean;
  json: boolean;
}

/** `loom data mnist`: writes the built-in digits (or the first `--limit` of them) to an Arrow file. */
export function dataMnistCommand(options: DataMnistOptions): number {
  if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit >= 1 && options.limit <= MNIST_DIGITS)) {
    throw new UsageError(`--limit must be an integer from 1 to ${MNIST_DIGITS} (the digits there are), got ${options.limit}`);
  }
  if (existsSync(options.out) && !options.overwrite) throw new UsageError(`${options.out} already exists; pass --overwrite to replace it`);
  const dataset = writeMnistArrow(options.out, options.limit);
  const payload = {
    path: resolve(options.out),
    rows: dataset.length,
    features: MNIST_FEATURES,
    featureShape: [...dataset.featureShape],
    target: MNIST_TARGET,
    classes: dataset.numClasses ?? null,
  };
  if (wantsJson(options.json)) writeJsonLine('data', payload);
  else
    process.stdout.write(
      `wrote ${formatCount(dataset.length)} MNIST digits to ${displayPath(options.out)} (pixels: [1×28×28] float32 in [0, 1], label: int32 0–9)\n`,
    );
  return ExitCode.ok;
}
