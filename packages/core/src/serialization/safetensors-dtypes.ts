/**
 * File dtypes that Loom converts on reading, since it computes in none of them: half precision
 * (F16, BF16) widens to float32 exactly, and I64 narrows to int32 when every value fits.
 */
import type { DType, TypedArray } from '../dtype.js';

/** How one file dtype becomes a Loom dtype. */
export interface ConvertedDType {
  /** The Loom dtype it is read as. */
  dtype: DType;
  /** Bytes per element in the file. */
  bytes: number;
  /** Decodes the file's little-endian elements into `out`; `name` names the tensor in errors. */
  decode(src: DataView, out: TypedArray, name: string): void;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** IEEE 754 binary16 to a number: sign, 5 exponent bits (bias 15), 10 fraction bits. */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** The converted file dtypes by their safetensors code. */
export const CONVERTED: Readonly<Record<string, ConvertedDType | undefined>> = {
  F16: {
    dtype: 'float32',
    bytes: 2,
    decode(src, out) {
      for (let i = 0; i < out.length; i++) out[i] = halfToNumber(src.getUint16(2 * i, true));
    },
  },
  BF16: {
    dtype: 'float32',
    bytes: 2,
    decode(src, out) {
      // bfloat16 is the upper half of a float32: shift its bits into place.
      const bits = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < out.length; i++) {
        bits.setUint32(0, src.getUint16(2 * i, true) << 16);
        out[i] = bits.getFloat32(0);
      }
    },
  },
  I64: {
    dtype: 'int32',
    bytes: 8,
    decode(src, out, name) {
      for (let i = 0; i < out.length; i++) {
        const v = src.getBigInt64(8 * i, true);
        if (v < INT32_MIN || v > INT32_MAX) {
          throw new RangeError(
            `loadSafetensors: tensor '${name}' (I64) holds ${v} at element ${i}, outside the int32 range [${INT32_MIN}, ${INT32_MAX}]; ` +
              'Loom reads I64 as int32 (it has no int64): convert the tensor to float or narrower values before saving',
          );
        }
        out[i] = Number(v);
      }
    },
  },
};
