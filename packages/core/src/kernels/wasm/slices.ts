import type { FloatArray } from '../../dtype.js';
import { addressOf, type WasmKernels } from './module.js';
import { overlaps } from './overlap.js';

const THREE = [0, 0, 0];
const FIVE = [0, 0, 0, 0, 0];

/**
 * The slices of an update as one array, reused by every call of its arity (three slices, or five
 * when `d` is given, null included): an update per step makes no garbage. Read it before the next call.
 */
export function slicesOf(
  a: FloatArray,
  b: FloatArray,
  c: FloatArray | null,
  d?: FloatArray | null,
  e?: FloatArray | null,
): readonly (FloatArray | null)[] {
  if (d === undefined) {
    SLICES3[0] = a;
    SLICES3[1] = b;
    SLICES3[2] = c;
    return SLICES3;
  }
  SLICES5[0] = a;
  SLICES5[1] = b;
  SLICES5[2] = c;
  SLICES5[3] = d;
  SLICES5[4] = e ?? null;
  return SLICES5;
}

const SLICES3: (FloatArray | null)[] = [null, null, null];
const SLICES5: (FloatArray | null)[] = [null, null, null, null, null];

/**
 * Byte addresses of flat slices for a WebAssembly kernel (0 for an absent one), in an array the
 * next call reuses, or null when one is not a float32 view of the kernels' memory. Slices that
 * share bytes are an error: the update loops read and write each of them.
 */
export function sliceAddresses(name: string, k: WasmKernels, slices: readonly (FloatArray | null)[]): readonly number[] | null {
  // One array for every call (an update per step makes no garbage); the caller reads it at once.
  const addresses = slices.length === 3 ? THREE : FIVE;
  for (let i = 0; i < slices.length; i++) {
    const s = slices[i];
    const p = s ? addressOf(k, s, 0) : 0;
    if (p < 0) return null;
    addresses[i] = p;
  }
  for (let i = 0; i < slices.length; i++) {
    for (let j = i + 1; j < slices.length; j++) {
      const x = slices[i];
      const y = slices[j];
      if (
        x &&
        y &&
        x.length > 0 &&
        y.length > 0 &&
        overlaps(addresses[i]!, addresses[i]! + x.length * 4 - 1, addresses[j]!, addresses[j]! + y.length * 4 - 1)
      ) {
        throw new RangeError(`${name}: slices ${i} and ${j} overlap`);
      }
    }
  }
  return addresses;
}
