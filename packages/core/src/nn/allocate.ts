import { type DType, isFloating } from '../dtype.js';
import { persistent } from '../memory/context.js';
import { Tensor } from '../tensor/tensor.js';
import { Parameter } from './parameter.js';

/**
 * A new, uninitialised parameter in persistent memory: a module built inside `withArena` (a
 * worker's replica, a lazily built head) must keep its weights after the step.
 */
export function allocateParameter(shape: readonly number[], dtype: DType = 'float32'): Parameter {
  if (!isFloating(dtype)) {
    throw new TypeError(
      `parameters: dtype must be float32 or float64 (only floating-point tensors can require gradients), got ${JSON.stringify(dtype)}`,
    );
  }
  return new Parameter(persistent(() => Tensor.empty(shape, dtype)));
}
