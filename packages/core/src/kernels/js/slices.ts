import type { FloatArray } from '../../dtype.js';

/** Throws unless every present slice has the length of the first (param). */
export function checkSliceLengths(name: string, slices: readonly (FloatArray | null)[]): void {
  const n = slices[0]!.length;
  for (let i = 0; i < slices.length; i++) {
    const s = slices[i];
    if (s && s.length !== n) {
      throw new RangeError(
        `${name}: every slice must have the parameter's length ${n}, got [${slices.map((x) => (x ? x.length : 'null')).join(', ')}]`,
      );
    }
  }
}
