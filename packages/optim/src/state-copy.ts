import { type DType, isFloating, persistent, Tensor } from '@loom/core';
import type { StateValue } from './optimizer.js';

/**
 * A persistent copy of a tensor (kept contiguous), converted to `dtype` when the tensor is
 * floating point: optimizer state must outlive any `withArena` scope.
 */
export function persistentCopy(t: Tensor, dtype?: DType): Tensor {
  const target = dtype !== undefined && isFloating(t.dtype) ? dtype : t.dtype;
  return persistent(() => {
    const out = Tensor.empty(t.shape, target);
    out.data().set(t.toArray());
    return out;
  });
}

/** A deep copy of one state value: tensors (and lists of them) copied, numbers as they are. */
export function copyStateValue(value: StateValue, dtype?: DType): StateValue {
  if (value instanceof Tensor) return persistentCopy(value, dtype);
  if (Array.isArray(value)) {
    return value.every((v): v is number => typeof v === 'number') ? [...value] : (value as Tensor[]).map((t) => persistentCopy(t, dtype));
  }
  return value;
}

/** A new persistent contiguous tensor of `shape` and `dtype` filled with `value`. */
export function persistentFull(shape: readonly number[], dtype: DType, value: number): Tensor {
  return persistent(() => {
    const out = Tensor.empty(shape, dtype);
    out.data().fill(value);
    return out;
  });
}
