import type { DType } from '../dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { formatValue } from '../util/format-value.js';

/** PyTorch's names of the dtypes, as its casting errors print them. */
const TORCH_NAMES: Readonly<Record<DType, string>> = { float32: 'Float', float64: 'Double', int32: 'Int', bool: 'Bool' };

/** The kind of a value, ordered as PyTorch's casting rules order them: bool < integer < floating. */
function kind(dtype: DType): number {
  return dtype === 'bool' ? 0 : dtype === 'int32' ? 1 : 2;
}

/**
 * An in-place arithmetic op writes its result in `dst`'s dtype, so, as in PyTorch, a result of a
 * higher kind than `dst` is refused instead of being truncated: a float into an int32 tensor
 * (`add_(2.5)` would add 2), an integer into a bool one (`add_(1)` would store 2 in a bool's byte).
 * Numbers count as PyTorch's Python scalars: an integral one is a Long, any other a Float.
 * @param dst - the tensor the op writes
 * @param src - the other operand
 * @param name - the op's name, which starts the error ('add_')
 * @internal
 */
export function checkInPlaceCast(dst: Tensor, src: Tensor | number, name: string): void {
  if (!(src instanceof Tensor) && typeof src !== 'number') {
    throw new TypeError(`${name}: expected a Tensor or a number, got ${formatValue(src)}`);
  }
  const srcName = src instanceof Tensor ? TORCH_NAMES[src.dtype] : Number.isInteger(src) ? 'Long' : 'Float';
  const srcKind = src instanceof Tensor ? kind(src.dtype) : Number.isInteger(src) ? 1 : 2;
  if (srcKind > kind(dst.dtype)) {
    throw new TypeError(
      `${name}: result type ${srcName} can't be cast to the desired output type ${TORCH_NAMES[dst.dtype]} ` +
        `(the ${dst.dtype} tensor cannot hold it); write it out of place (x = x.${name.slice(0, -1)}(…)) or convert x first`,
    );
  }
}

/**
 * PyTorch's rules for `add_`'s alpha: an integral result takes an integral alpha, a bool one only 1.
 * @param dst - the tensor `add_` writes
 * @param alpha - the multiplier of the added operand
 * @internal
 */
export function checkInPlaceAlpha(dst: Tensor, alpha: number): void {
  if (dst.dtype === 'bool' && alpha !== 1)
    throw new TypeError(`add_: Boolean alpha only supported for Boolean results (alpha ${alpha} into a bool tensor)`);
  if (dst.dtype === 'int32' && !Number.isInteger(alpha)) {
    throw new TypeError(`add_: For integral input tensors, argument alpha must not be a floating point number (got ${alpha})`);
  }
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * A fill value `dst`'s dtype cannot hold throws, as PyTorch's "value cannot be converted to type
 * int without overflow": NaN or ±Infinity into int32, a number beyond int32's range (Int32Array
 * would wrap it), a finite number beyond float32's range (it would become Infinity). Fractions
 * into int32 truncate, and anything into bool is true when non-zero, as in PyTorch.
 * @param dst - the tensor filled
 * @param value - the fill value
 * @param name - the op's name ('fill_')
 * @internal
 */
export function checkFillValue(dst: Tensor, value: number, name: string): void {
  if (typeof value !== 'number') throw new TypeError(`${name}: value must be a number, got ${formatValue(value)}`);
  const overflow =
    dst.dtype === 'int32'
      ? !(Math.trunc(value) >= INT32_MIN && Math.trunc(value) <= INT32_MAX)
      : dst.dtype === 'float32' && Number.isFinite(value) && Math.abs(value) > FLOAT32_MAX;
  if (overflow) {
    const type = dst.dtype === 'int32' ? 'int' : 'float';
    throw new RangeError(
      `${name}: value cannot be converted to type ${type} without overflow (${value} into a tensor of dtype ${dst.dtype})`,
    );
  }
}
