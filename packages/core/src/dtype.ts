/** Element types a tensor can hold. `bool` is stored one byte per element. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** The typed array that views each dtype's elements. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** A floating-point typed array, the storage of float32 and float64 tensors. */
export type FloatArray = Float32Array | Float64Array;

/** Bytes per element of each dtype. */
export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = {
  float32: 4,
  float64: 8,
  int32: 4,
  bool: 1,
};

/**
 * Whether a dtype is floating point (and so can carry gradients).
 * @param dtype - the dtype tested: true for float32 and float64, false for int32 and bool
 */
export function isFloating(dtype: DType): dtype is 'float32' | 'float64' {
  return dtype === 'float32' || dtype === 'float64';
}

/**
 * The dtype of a binary op's result, following PyTorch's promotion for these four types.
 * @param a - one operand's dtype; the wider of the two wins (bool < int32 < float32 < float64)
 * @param b - the other operand's dtype
 */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === 'float64' || b === 'float64') return 'float64';
  if (a === 'float32' || b === 'float32') return 'float32';
  return 'int32';
}

/**
 * A number as a tensor of `dtype` stores it. Bool stores 1 for any non-zero value (NaN included)
 * and 0 for ±0, as PyTorch's casts do; a Uint8Array store alone would keep the low byte
 * (2 → 2, −1 → 255, 0.5 → 0). The other dtypes' typed arrays convert the number themselves.
 * @param dtype - the dtype of the tensor written
 * @param value - the number written
 */
export function storedValue(dtype: DType, value: number): number {
  return dtype === 'bool' ? (value !== 0 ? 1 : 0) : value;
}

export function assertDType(dtype: string, where: string): asserts dtype is DType {
  if (!(dtype in BYTES_PER_ELEMENT)) {
    throw new TypeError(`${where}: unknown dtype '${dtype}' (expected float32, float64, int32 or bool)`);
  }
}
