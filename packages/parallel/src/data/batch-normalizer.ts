import { Tensor, withArena } from '@loom/core';
import { type LossName, type LossOptions, lossNormalizer } from '@loom/losses';
import type { TableDataset } from './dataset.js';
import type { NamedSpec } from '../trainer/options.js';

/**
 * What the mean loss of this global batch divides the summed loss by (see @loom/losses
 * `lossNormalizer`): every chunk's gradient is of (chunk sum / batch normaliser), so the summed
 * chunk gradients are those of the batch mean, however the batch is cut.
 */
export function batchNormalizer(loss: NamedSpec, dataset: TableDataset, rows: Int32Array): number {
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
