import type { FloatArray } from '../../dtype.js';
import { addressOf, type WasmKernels } from './module.js';
import { overlaps } from './overlap.js';

/**
 * Byte addresses of flat slices for a WebAssembly kernel (0 for an absent one), or null when one
 * is not a float32 view of the kernels' memory. Slices that share bytes are an error: the update
 * loops read and write each of them.
 */
export function sliceAddresses(name: string, k: WasmKernels, slices: readonly (FloatArray | null)[]): number[] | null {
  const addresses: number[] = [];
  for (const s of slices) {
    if (!s) {
      addresses.push(0);
      continue;
    }
    const p = addressOf(k, s, 0);
    if (p < 0) return null;
    addresses.push(p);
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
