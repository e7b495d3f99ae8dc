import type { FloatArray } from '../../dtype.js';
import { sumSlotsJs } from '../js/allreduce.js';
import { checkSliceLengths } from '../js/slices.js';
import { addressOf, wasmKernels } from './module.js';
import { overlaps } from './overlap.js';
import { scratch } from './scratch.js';

/**
 * `sumSlotsJs` on the WebAssembly kernel, bit-identical to it: the slot addresses go to the
 * kernel through this thread's scratch region. `dst` may be one of the slots but must not
 * otherwise overlap them.
 */
export function sumSlotsWasm(dst: FloatArray, slots: readonly FloatArray[]): void {
  for (let i = 0; i < slots.length; i++) {
    if (slots[i]!.length !== dst.length) checkSliceLengths('sumSlots', [dst, ...slots]);
  }
  const k = wasmKernels();
  const pd = k ? addressOf(k, dst, 0) : -1;
  if (!k || pd < 0) return sumSlotsJs(dst, slots);
  const n = dst.length;
  const ex = k.exports;
  const s = scratch(ex.sumSlotsScratchBytes(slots.length));
  // The table of slot addresses sits at the start of the scratch region, partial sums after it.
  const table = words(k.memory.buffer);
  for (let i = 0; i < slots.length; i++) {
    const p = addressOf(k, slots[i]!, 0);
    if (p < 0) return sumSlotsJs(dst, slots);
    if (n > 0 && p !== pd && overlaps(pd, pd + n * 4 - 1, p, p + n * 4 - 1)) {
      throw new RangeError(`sumSlots: the destination overlaps slot ${i} other than exactly`);
    }
    table[(s >>> 2) + i] = p;
  }
  ex.sumSlots(n, pd, s, slots.length, s + Math.ceil((slots.length * 4) / 64) * 64);
}

let wordsView: Uint32Array | null = null;

/** The kernels' memory as 32-bit words, one view per buffer (a step's sums make no garbage). */
function words(buffer: ArrayBufferLike): Uint32Array {
  if (wordsView === null || wordsView.buffer !== buffer) wordsView = new Uint32Array(buffer);
  return wordsView;
}
