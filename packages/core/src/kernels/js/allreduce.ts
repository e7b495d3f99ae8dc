import type { FloatArray } from '../../dtype.js';
import { checkSliceLengths } from './slices.js';

/** Partial sums of one element, reused across calls. */
const partial: number[] = [];

/**
 * The all-reduce sum: dst[i] = the sum of slots[k][i] over every slot, added in a fixed pairwise
 * tree — level by level, slot 2j + slot 2j+1, an odd last one carried up unchanged — so the
 * result depends only on the slots' order. Float32 sums are rounded after every addition, so this
 * reference and the WebAssembly kernel agree bit for bit. `dst` may be one of the slots.
 */
export function sumSlotsJs(dst: FloatArray, slots: readonly FloatArray[]): void {
  checkSliceLengths('sumSlots', [dst, ...slots]);
  const round = dst instanceof Float32Array ? Math.fround : (x: number): number => x;
  const count = slots.length;
  for (let i = 0; i < dst.length; i++) {
    if (count === 0) {
      dst[i] = 0;
      continue;
    }
    for (let s = 0; s < count; s++) partial[s] = slots[s]![i]!;
    let c = count;
    while (c > 1) {
      const half = c >> 1;
      for (let j = 0; j < half; j++) partial[j] = round(partial[2 * j]! + partial[2 * j + 1]!);
      if (c & 1) partial[half] = partial[c - 1]!;
      c = (c + 1) >> 1;
    }
    dst[i] = partial[0]!;
  }
}
