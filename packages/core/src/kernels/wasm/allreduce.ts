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
  checkSliceLengths('sumSlots', [dst, ...slots]);
  const k = wasmKernels();
  const pd = k ? addressOf(k, dst, 0) : -1;
  if (!k || pd < 0) return sumSlotsJs(dst, slots);
  const n = dst.length;
  const addresses: number[] = [];
  for (const slot of slots) {
    const p = addressOf(k, slot, 0);
    if (p < 0) return sumSlotsJs(dst, slots);
    if (n > 0 && p !== pd && overlaps(pd, pd + n * 4 - 1, p, p + n * 4 - 1)) {
      throw new RangeError(`sumSlots: the destination overlaps slot ${addresses.length} other than exactly`);
    }
    addresses.push(p);
  }
  const ex = k.exports;
  const s = scratch(ex.sumSlotsScratchBytes(slots.length));
  // The table of slot addresses sits at the start of the scratch region, partial sums after it.
  const table = new Uint32Array(k.memory.buffer, s, addresses.length);
  table.set(addresses);
  ex.sumSlots(n, pd, s, slots.length, s + Math.ceil((addresses.length * 4) / 64) * 64);
}
