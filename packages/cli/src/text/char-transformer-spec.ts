import type { TableDataset, ModelSpec } from '@loom/parallel';
import { UsageError } from '../errors.js';

/** The sizes `--model char-transformer:dModel=64,nhead=4,…` may set; the rest comes from the data. */
export interface CharTransformerSizes {
  dModel?: number;
  nhead?: number;
  numLayers?: number;
  dimFeedforward?: number;
  dropout?: number;
}

const SIZE_KEYS = ['dModel', 'nhead', 'numLayers', 'dimFeedforward', 'dropout'] as const;

/** Whether a `--model` value names the char-transformer built-in. */
export function isCharTransformer(model: string): boolean {
  return model === 'char-transformer' || model.startsWith('char-transformer:');
}

/** Parses `char-transformer[:KEY=VALUE,…]`; an unknown key or a bad number throws a UsageError. */
export function parseCharTransformer(model: string): CharTransformerSizes {
  const sizes: CharTransformerSizes = {};
  const rest = model.slice('char-transformer'.length + 1);
  if (rest === '') return sizes;
  for (const part of rest.split(',')) {
    const [key, value, extra] = part.split('=').map((s) => s.trim());
    const known = SIZE_KEYS.find((k) => k === key);
    const number = Number(value);
    if (known === undefined || value === undefined || value === '' || extra !== undefined) {
      throw new UsageError(`--model ${model}: '${part}' is not KEY=VALUE with KEY one of ${SIZE_KEYS.join(', ')}`);
    }
    const ok = known === 'dropout' ? number >= 0 && number < 1 : Number.isInteger(number) && number >= 1;
    if (!ok)
      throw new UsageError(`--model ${model}: ${known} must be ${known === 'dropout' ? 'in [0, 1)' : 'a positive integer'}, got ${value}`);
    sizes[known] = number;
  }
  return sizes;
}

/**
 * The trainer's spec for a character-level transformer on a text dataset (`loom data text`): the
 * vocabulary size and context length come from the data, which must hold class sequences the
 * length of the context (the next character at each position).
 */
export function charTransformerSpec(model: string, dataset: TableDataset): ModelSpec {
  const sizes = parseCharTransformer(model);
  const [contextLength] = dataset.featureShape;
  const sequence =
    dataset.targetKind === 'class' &&
    dataset.featureShape.length === 1 &&
    dataset.targetShape.length === 1 &&
    dataset.targetShape[0] === contextLength;
  if (!sequence) {
    throw new UsageError(
      `--model char-transformer needs next-character windows (features [T] token ids, target [T] class indices), as 'loom data text' writes; ` +
        `this data has features [${dataset.featureShape.join(', ')}] and a ${dataset.targetKind} target [${dataset.targetShape.join(', ')}]`,
    );
  }
  const vocabSize = dataset.numClasses ?? 0;
  const dModel = sizes.dModel ?? 64;
  const nhead = sizes.nhead ?? 4;
  if (dModel % nhead !== 0) throw new UsageError(`--model ${model}: dModel ${dModel} must be divisible by nhead ${nhead}`);
  return { builtin: 'char-transformer', vocabSize, contextLength: contextLength!, ...sizes };
}
