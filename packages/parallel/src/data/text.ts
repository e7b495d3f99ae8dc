import { checkOptions, formatValue } from '@loom/core';
import { type TableDataset, datasetFromArrays } from './dataset.js';

/** The schema metadata key under which a text dataset's vocabulary (a JSON array of characters) is saved. */
export const VOCABULARY_KEY = 'loom.vocabulary';

/** The feature column of a text dataset: the context's token ids. */
export const TEXT_FEATURES = 'context';
/** The target column of a text dataset: the next token at each position. */
export const TEXT_TARGET = 'label';

/** Options of `textDataset`. */
export interface TextDatasetOptions {
  /** Characters per window T (default 16). */
  contextLength?: number;
  /** Characters between the starts of consecutive windows (default: contextLength, so every character is a target once). */
  stride?: number;
  /** The characters, token id = index; default: every distinct character of the text, sorted by code point. */
  vocabulary?: readonly string[];
}

/**
 * Every distinct character (Unicode code point) of `text`, sorted by code point: token id = index.
 * @param text - the corpus; characters are Unicode code points, so an emoji or an astral character is one token
 */
export function characterVocabulary(text: string): string[] {
  return [...new Set(Array.from(text))].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
}

/**
 * The token ids of `text` under `vocabulary`; a character outside it throws, naming it and where it is.
 * @param text - the text to encode, one token per Unicode code point
 * @param vocabulary - the characters, token id = index (as `characterVocabulary` gives them)
 */
export function encodeText(text: string, vocabulary: readonly string[]): Int32Array {
  const ids = new Map(vocabulary.map((c, i) => [c, i]));
  const chars = Array.from(text);
  const out = new Int32Array(chars.length);
  chars.forEach((c, i) => {
    const id = ids.get(c);
    if (id === undefined) throw new RangeError(`encodeText: character ${JSON.stringify(c)} at position ${i} is not in the vocabulary`);
    out[i] = id;
  });
  return out;
}

/**
 * The characters of token ids under `vocabulary`.
 * @param ids - token ids, each an index into `vocabulary` (else a RangeError)
 * @param vocabulary - the characters, token id = index
 */
export function decodeText(ids: ArrayLike<number>, vocabulary: readonly string[]): string {
  let out = '';
  for (let i = 0; i < ids.length; i++) {
    const c = vocabulary[ids[i]!];
    if (c === undefined) throw new RangeError(`decodeText: token ${ids[i]} is outside the vocabulary of ${vocabulary.length}`);
    out += c;
  }
  return out;
}

/**
 * Next-character windows of a text, for a character-level language model: row i holds the token
 * ids of characters [s, s + T) as features (float32, column `context`) and those of [s + 1, s + T + 1)
 * as class targets (int32, column `label`), with s = i·stride. Targets are class sequences
 * (targetShape [T]) over `vocabulary.length` classes.
 * @param text - the corpus; it needs at least `contextLength` + 1 characters
 * @param options - see {@link TextDatasetOptions}; default `{}`: windows of 16, stride 16, the text's own vocabulary; unknown
 *   keys throw
 */
export function textDataset(text: string, options: TextDatasetOptions = {}): { dataset: TableDataset; vocabulary: string[] } {
  const op = 'textDataset';
  if (typeof text !== 'string') throw new TypeError(`${op}: text must be a string, got ${formatValue(text)}`);
  checkOptions(op, options, ['contextLength', 'stride', 'vocabulary']);
  const contextLength = options.contextLength ?? 16;
  const stride = options.stride ?? contextLength;
  for (const [name, value] of [
    ['contextLength', contextLength],
    ['stride', stride],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${op}: ${name} must be a positive integer, got ${formatValue(value)}`);
  }
  const vocabulary = options.vocabulary ? [...options.vocabulary] : characterVocabulary(text);
  const ids = encodeText(text, vocabulary);
  const windows = ids.length > contextLength ? Math.floor((ids.length - contextLength - 1) / stride) + 1 : 0;
  if (windows === 0) {
    throw new RangeError(
      `${op}: the text has ${ids.length} characters; a window of ${contextLength} and its next character need at least ${contextLength + 1}`,
    );
  }
  const features = new Float32Array(windows * contextLength);
  const targets = new Int32Array(windows * contextLength);
  for (let w = 0; w < windows; w++) {
    const start = w * stride;
    features.set(ids.subarray(start, start + contextLength), w * contextLength);
    targets.set(ids.subarray(start + 1, start + contextLength + 1), w * contextLength);
  }
  const dataset = datasetFromArrays({
    features,
    featureShape: [contextLength],
    targets,
    targetKind: 'class',
    targetShape: [contextLength],
    numClasses: vocabulary.length,
    featureNames: [TEXT_FEATURES],
    targetName: TEXT_TARGET,
  });
  return { dataset, vocabulary };
}
