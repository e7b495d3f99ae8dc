import type { TypedArray } from '../../dtype.js';

/** Writes `value` to elements [from, to) of `out`: every fill of tensor memory, so that kernel tapes see it. */
export function fillJs(out: TypedArray, from: number, to: number, value: number): void {
  out.fill(value, from, to);
}
