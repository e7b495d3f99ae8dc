import type { TableDataset, ModelSpec } from '@loom/parallel';
import { UsageError } from './errors.js';
import { resolvePath } from './paths.js';
import { charTransformerSpec, isCharTransformer, parseCharTransformer } from './text/char-transformer-spec.js';

/** A `--model` value taken apart. */
export type ParsedModel =
  | { kind: 'mlp'; sizes: number[] | null }
  | { kind: 'cnn' | 'cnn-bn' }
  | { kind: 'char-transformer' }
  | { kind: 'module'; path: string; exportName: string };

const MODEL_FORMS =
  "'mlp', 'mlp:784,256,128,10', 'cnn', 'cnn-bn', 'char-transformer[:dModel=64,nhead=4,numLayers=2]', or an ES module './net.mjs#createModel'";
/** The hidden layers of `--model mlp`, whose input and output sizes come from the data. */
export const MLP_HIDDEN = [256, 128];

/** Parses `mlp:SIZES`, `cnn`, `cnn-bn`, `char-transformer[:KEY=VALUE,…]` or `PATH[#EXPORT]`; throws a UsageError for anything else. */
export function parseModel(model: string): ParsedModel {
  if (model === 'cnn' || model === 'cnn-bn') return { kind: model };
  if (isCharTransformer(model)) {
    parseCharTransformer(model);
    return { kind: 'char-transformer' };
  }
  if (model === 'mlp') return { kind: 'mlp', sizes: null };
  if (model.startsWith('mlp:')) {
    const sizes = model
      .slice(4)
      .split(',')
      .map((s) => Number(s.trim()));
    if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
      throw new UsageError(`--model ${model}: an MLP needs two or more positive layer sizes, e.g. mlp:784,256,128,10`);
    }
    return { kind: 'mlp', sizes };
  }
  if (isModulePath(model)) {
    const hash = model.lastIndexOf('#');
    const path = hash < 0 ? model : model.slice(0, hash);
    const exportName = hash < 0 ? 'createModel' : model.slice(hash + 1);
    if (path === '' || exportName === '') throw new UsageError(`--model ${model}: expected PATH#EXPORT, e.g. ./net.mjs#createModel`);
    return { kind: 'module', path, exportName };
  }
  throw new UsageError(`unknown model '${model}'; use ${MODEL_FORMS}`);
}

function isModulePath(model: string): boolean {
  return /^(\.|\/|file:)/.test(model) || /\.(m?js|cjs)(#|$)/.test(model);
}

/** The model string with a relative module path made absolute against `base`, so the run can be resumed from anywhere. */
export function resolveModelPath(model: string, base?: string): string {
  const parsed = parseModel(model);
  if (parsed.kind !== 'module' || parsed.path.startsWith('file:')) return model;
  return `${resolvePath(parsed.path, base)}#${parsed.exportName}`;
}

/** What the model must produce for a dataset: one score per class, or one value per target element. */
export function outputSize(dataset: TableDataset): number {
  return dataset.targetKind === 'class' ? (dataset.numClasses ?? 0) : dataset.targetDim;
}

/** Whether a `--model` is one of the built-in CNNs (`cnn`, `cnn-bn`), which read [C, H, W] images. */
export function isCnnModel(model: string): boolean {
  const { kind } = parseModel(model);
  return kind === 'cnn' || kind === 'cnn-bn';
}

/** The [C, H, W] a `cnn` or `cnn-bn` reads: `--input-shape`, or a square one-channel image of the row's values. */
export function cnnInputShape(inputShape: number[] | null, dataset: TableDataset): [number, number, number] {
  const d = dataset.featureDim;
  if (inputShape === null) {
    const side = Math.round(Math.sqrt(d));
    if (side * side !== d) {
      throw new UsageError(`--model cnn and cnn-bn need --input-shape C,H,W: the data has ${d} feature values per row, not a square image`);
    }
    return [1, side, side];
  }
  const [c, h, w] = inputShape as [number, number, number];
  if (c * h * w !== d) {
    throw new UsageError(`--input-shape ${inputShape.join(',')} holds ${c * h * w} values but the data has ${d} feature values per row`);
  }
  return [c, h, w];
}

/**
 * The trainer's spec of the model, after checking what can be checked without building it: an
 * MLP's input and output sizes against the data's features and classes.
 */
export function toModelSpec(model: string, inputShape: number[] | null, dataset: TableDataset): ModelSpec {
  const parsed = parseModel(model);
  const outputs = outputSize(dataset);
  const targetWhat = dataset.targetKind === 'class' ? `${outputs} classes` : `${outputs} values per row`;
  switch (parsed.kind) {
    case 'mlp': {
      if (parsed.sizes === null) {
        if (outputs < 1) throw new UsageError(`--model mlp cannot size its output: the target '${dataset.targetName}' has no classes`);
        return { builtin: 'mlp', sizes: [dataset.featureDim, ...MLP_HIDDEN, outputs] };
      }
      const first = parsed.sizes[0]!;
      const last = parsed.sizes[parsed.sizes.length - 1]!;
      if (first !== dataset.featureDim) {
        throw new UsageError(
          `model ${model} takes ${first} inputs but the data has ${dataset.featureDim} feature values per row (columns ${dataset.featureNames.join(', ')})`,
        );
      }
      if (last !== outputs) {
        throw new UsageError(`model ${model} has ${last} outputs but the target '${dataset.targetName}' has ${targetWhat}`);
      }
      return { builtin: 'mlp', sizes: parsed.sizes };
    }
    case 'cnn':
    case 'cnn-bn': {
      const loaded = dataset.featureShape.length === 3 ? [...dataset.featureShape] : null;
      return { builtin: parsed.kind, inputShape: cnnInputShape(inputShape ?? loaded, dataset), numClasses: outputs };
    }
    case 'char-transformer':
      return charTransformerSpec(model, dataset);
    case 'module':
      return { module: parsed.path, export: parsed.exportName };
  }
}

/** A model spec as people read it: `mlp 784,256,128,10`, `cnn-bn [1,28,28] → 10 classes`, or `net.mjs#createModel`. */
export function describeModel(spec: ModelSpec): string {
  if ('module' in spec) return `${spec.module}#${spec.export ?? 'createModel'}`;
  switch (spec.builtin) {
    case 'mlp':
      return `mlp ${spec.sizes.join(',')}`;
    case 'cnn':
    case 'cnn-bn':
      return `${spec.builtin} [${(spec.inputShape ?? []).join(',')}] → ${spec.numClasses ?? '?'} classes`;
    case 'char-transformer':
      return 'char-transformer';
  }
}
