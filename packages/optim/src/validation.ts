import { pyFloat } from './python-format.js';

/**
 * Constructor checks with PyTorch 1.13's wording. Each takes the value as given (undefined
 * skips: a group that leaves an option to the defaults) and throws a RangeError. The comparisons
 * are PyTorch's own, so NaN fails `0 <= x` checks and passes `x < 0` ones, as there.
 */

/** `not 0.0 <= value`: "Invalid <what>: <value>". */
export function checkNonNegative(value: number | undefined, what: string): void {
  if (value !== undefined && !(0 <= value)) throw new RangeError(`Invalid ${what}: ${pyFloat(value)}`);
}

/** `value < 0.0`: "Invalid <what>: <value>" (SGD's form, which lets NaN through). */
export function checkNotNegative(value: number | undefined, what: string): void {
  if (value !== undefined && value < 0) throw new RangeError(`Invalid ${what}: ${pyFloat(value)}`);
}

/** `not 0.0 < value`: "Invalid <what>: <value>" (SparseAdam's lr and eps). */
export function checkPositive(value: number | undefined, what: string): void {
  if (value !== undefined && !(0 < value)) throw new RangeError(`Invalid ${what}: ${pyFloat(value)}`);
}

/** `not 0.0 <= beta < 1.0` for each of the two betas. */
export function checkBetas(betas: readonly [number, number] | undefined): void {
  if (betas === undefined) return;
  betas.forEach((beta, i) => {
    if (!(0 <= beta && beta < 1)) throw new RangeError(`Invalid beta parameter at index ${i}: ${pyFloat(beta)}`);
  });
}
