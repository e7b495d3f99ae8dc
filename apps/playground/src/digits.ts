import { type TableDataset, loadArrow, subset } from '@loom/parallel';

/** The digits for training and validation. */
export interface DigitsSplit {
  train: TableDataset;
  validation: TableDataset;
}

function range(start: number, end: number): Int32Array {
  return Int32Array.from({ length: end - start }, (_, i) => start + i);
}

/**
 * The built-in digits (the Arrow file `pnpm build` writes from @loom/parallel's `writeMnistArrow`, rows
 * already shuffled once) flattened for the MLP: the first `train` rows to train on, the last `val`
 * rows to validate on.
 */
export function digitsSplit(bytes: Uint8Array, train: number, val: number): DigitsSplit {
  const all = loadArrow(bytes, { features: 'pixels', target: 'label' });
  if (!Number.isInteger(train) || !Number.isInteger(val) || train < 1 || val < 1 || train + val > all.length) {
    throw new RangeError(`digits: ${train} training and ${val} validation rows do not fit in the ${all.length} digits (each at least 1)`);
  }
  const flat: TableDataset = { ...all, featureShape: [all.featureDim] };
  return { train: subset(flat, range(0, train)), validation: subset(flat, range(all.length - val, all.length)) };
}
