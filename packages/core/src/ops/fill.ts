import type { DType, TypedArray } from '../dtype.js';
import { fillKernel } from '../kernels/definitions.js';

/**
 * Writes `value` (already as the dtype stores it) to every element of `array`, the data of a
 * `dtype` tensor, through the fill kernel: ops fill tensor memory only this way, so that a kernel
 * tape replays the fill too.
 */
export function fillData(array: TypedArray, dtype: DType, value: number): void {
  fillKernel.select(dtype)(array, 0, array.length, value);
}
