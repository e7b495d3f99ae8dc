import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TEXT_FEATURES, TEXT_TARGET, VOCABULARY_KEY, textDataset, writeArrow } from '@loom/parallel';
import { ExitCode, UsageError } from '../errors.js';
import { wantsJson, writeJsonLine } from '../output/json-lines.js';
import { displayPath, formatCount } from '../output/summary.js';
import { FIRST_NAMES_SOURCE, firstNamesText } from '../text/first-names.js';
import { requireFile } from '../training-data.js';

/** Options of `loom data text`. */
export interface DataTextOptions {
  /** A UTF-8 text file, or undefined for the built-in English first names. */
  file: string | undefined;
  out: string;
  contextLength: number;
  stride: number | undefined;
  /** Shuffles the built-in names (ignored for a file, whose text is kept as it is). */
  seed: number;
  overwrite: boolean;
  json: boolean;
}

/**
 * `loom data text`: a text (a file, or the built-in first names, one per line) cut into
 * next-character windows, written to an Arrow file: `context` (FixedSizeList<Float32>[T], token
 * ids) and `label` (FixedSizeList<Int32>[T], the next character's id at each position), with the
 * vocabulary as a JSON array in the schema metadata (`loom.vocabulary`, token id = index).
 */
export function dataTextCommand(options: DataTextOptions): number {
  for (const [flag, value] of [
    ['--context-length', options.contextLength],
    ['--stride', options.stride ?? 1],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} must be a positive integer, got ${value}`);
  }
  if (existsSync(options.out) && !options.overwrite) throw new UsageError(`${options.out} already exists; pass --overwrite to replace it`);
  let text: string;
  let source: string;
  if (options.file === undefined) {
    const names = firstNamesText(options.seed);
    text = names.text;
    source = `${formatCount(names.names)} ${FIRST_NAMES_SOURCE}`;
  } else {
    requireFile(options.file, 'text file');
    text = readFileSync(options.file, 'utf8');
    source = displayPath(options.file);
  }
  let built;
  try {
    built = textDataset(text, {
      contextLength: options.contextLength,
      ...(options.stride !== undefined ? { stride: options.stride } : {}),
    });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^textDataset: /, ''));
  }
  const { dataset, vocabulary } = built;
  writeArrow(dataset, options.out, { featureColumn: 'list', metadata: { [VOCABULARY_KEY]: JSON.stringify(vocabulary) } });
  const payload = {
    path: resolve(options.out),
    rows: dataset.length,
    contextLength: options.contextLength,
    stride: options.stride ?? options.contextLength,
    characters: Array.from(text).length,
    vocabulary,
    features: TEXT_FEATURES,
    target: TEXT_TARGET,
  };
  if (wantsJson(options.json)) writeJsonLine('data', payload);
  else {
    process.stdout.write(
      `wrote ${formatCount(dataset.length)} windows of ${options.contextLength} characters (vocabulary of ${vocabulary.length}) from ${source} to ${displayPath(options.out)}\n`,
    );
  }
  return ExitCode.ok;
}
