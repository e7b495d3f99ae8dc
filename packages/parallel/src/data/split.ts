import { formatValue, Generator } from '@loom/core';
import { epochSeed, permutation } from './sampler.js';

/** Row indices of a train/validation split. */
export interface TrainValSplit {
  train: Int32Array;
  val: Int32Array;
}

/**
 * Splits rows 0..n−1 at random into disjoint train and validation sets that cover them all;
 * the validation set holds ⌊n × valFraction⌋ rows (as `torch.utils.data.random_split` sizes it).
 * Both lists are sorted, so subsets read memory in order; the split depends on the seed alone.
 * @param n - the number of rows, a non-negative integer
 * @param valFraction - the share of rows held out for validation, in [0, 1]; 0 gives an empty validation set
 * @param seed - the split's seed, a safe integer; default 0. The same (n, valFraction, seed) always gives the same split
 */
export function trainValSplit(n: number, valFraction: number, seed = 0): TrainValSplit {
  const op = 'trainValSplit';
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${op}: n must be a non-negative integer, got ${formatValue(n)}`);
  if (!(valFraction >= 0 && valFraction <= 1))
    throw new RangeError(`${op}: valFraction must be in [0, 1], got ${formatValue(valFraction)}`);
  if (!Number.isSafeInteger(seed)) throw new TypeError(`${op}: seed must be an integer, got ${formatValue(seed)}`);
  // The small tolerance keeps products like 100 × 0.29 = 28.999999999999996 from losing a row.
  const valCount = Math.min(n, Math.floor(n * valFraction + 1e-9));
  // A different stream from the sampler's epochs of the same seed: split and shuffle stay independent.
  const order = permutation(n, new Generator(epochSeed(seed ^ 0x5eed, 0xffffffff)));
  const val = order.slice(0, valCount).sort();
  const train = order.slice(valCount).sort();
  return { train, val };
}
