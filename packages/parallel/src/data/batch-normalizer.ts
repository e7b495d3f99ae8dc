import { Tensor, withArena } from '@loom/core';
import { lossClassName, type LossName, type LossOptions, lossNormalizer } from '@loom/losses';
import type { TableDataset } from './dataset.js';
import type { NamedSpec } from '../trainer/options.js';

/**
 * What the mean loss of this global batch, the rows `rows[from..to)`, divides the summed loss by (see @loom/losses
 * `lossNormalizer`): every chunk's gradient is of (chunk sum / batch normaliser), so the summed
 * chunk gradients are those of the batch mean, however the batch is cut.
 */
export function batchNormalizer(loss: NamedSpec, dataset: TableDataset, rows: Int32Array, from = 0, to = rows.length): number {
  return classCount(loss, dataset, rows, from, to) ?? generalNormalizer(loss, dataset, rows.subarray(from, to));
}

/**
 * `lossNormalizer` of a cross-entropy or NLL loss on class indices without class weights, with no
 * tensor made (it runs every step): the targets that are not the ignored index. Null where the
 * general path must decide: weights, another loss, or a target or smoothing it refuses (it throws).
 */
function classCount(loss: NamedSpec, dataset: TableDataset, rows: Int32Array, from: number, to: number): number | null {
  const targets = dataset.targets;
  const options = (loss.options ?? {}) as { weight?: unknown; labelSmoothing?: number };
  const ignored = ignoredClass(loss);
  if (!(targets instanceof Int32Array) || Number.isNaN(ignored) || options.weight != null) return null;
  const t = dataset.targetDim;
  let count = 0;
  for (let b = from; b < to; b++) {
    for (let j = 0, at = rows[b]! * t; j < t; j++) {
      const k = targets[at + j]!;
      if (k === ignored) continue;
      if (k < 0) return null;
      count++;
    }
  }
  const smoothing = options.labelSmoothing ?? 0;
  return smoothing > 0 && count !== (to - from) * t ? null : count;
}

/**
 * The class index a cross-entropy or NLL loss ignores (its `ignoreIndex`, PyTorch's default -100),
 * or NaN for a loss that ignores none.
 * @param loss - the trainer's loss, by name with its options
 */
export function ignoredClass(loss: NamedSpec): number {
  const name = lossClassName(loss.name);
  if (name !== 'CrossEntropyLoss' && name !== 'NLLLoss') return Number.NaN;
  return ((loss.options ?? {}) as { ignoreIndex?: number }).ignoreIndex ?? -100;
}

function generalNormalizer(loss: NamedSpec, dataset: TableDataset, rows: Int32Array): number {
  return withArena(() => {
    const t = dataset.targetDim;
    const target = Tensor.empty([rows.length, ...dataset.targetShape], dataset.targets instanceof Int32Array ? 'int32' : 'float32');
    const out = target.data();
    const targets = dataset.targets;
    // Element loops: `set(subarray(…))` would allocate a view per row, every step.
    for (let b = 0; b < rows.length; b++) for (let j = 0, src = rows[b]! * t; j < t; j++) out[b * t + j] = targets[src + j]!;
    return lossNormalizer(loss.name as LossName, (loss.options ?? {}) as LossOptions, target);
  });
}
