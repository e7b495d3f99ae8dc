import { formatShape, type Shape, Tensor } from '@loom/core';
import type { ParamState, StateValue } from './optimizer.js';

/**
 * Checks of a parameter's state as `loadStateDict` receives it, so that a state saved by another
 * optimizer, for another model or by another configuration fails at load time, naming the key,
 * instead of at `step()` or with wrong numbers.
 */

/** Throws unless every key of `state` is in `known` and every key of `required` is present. */
export function checkStateKeys(
  where: string,
  optimizer: string,
  state: ParamState,
  known: readonly string[],
  required: readonly string[],
): void {
  for (const key of Object.keys(state)) {
    if (!known.includes(key)) {
      throw new RangeError(`${where} holds '${key}', which ${optimizer} does not keep here (it keeps ${known.join(', ') || 'nothing'})`);
    }
  }
  for (const key of required) {
    if (state[key] === undefined) throw new RangeError(`${where} lacks '${key}'`);
  }
}

/** Throws unless `value` is a number or a one-element tensor (a step count, a scalar state). */
export function checkScalarState(where: string, key: string, value: StateValue | undefined): void {
  if (value === undefined || typeof value === 'number') return;
  if (!(value instanceof Tensor) || value.numel !== 1) {
    throw new RangeError(`${where}: '${key}' must be a number or a one-element tensor, got ${describeValue(value)}`);
  }
}

/** Throws unless `value` is a tensor of `shape` (a per-element buffer); `undefined` passes (created on the next step). */
export function checkTensorState(where: string, key: string, value: StateValue | undefined, shape: Shape): void {
  if (value === undefined) return;
  if (!(value instanceof Tensor))
    throw new RangeError(`${where}: '${key}' must be a tensor of shape ${formatShape(shape)}, got ${describeValue(value)}`);
  if (value.shape.length !== shape.length || value.shape.some((d, i) => d !== shape[i])) {
    throw new RangeError(`${where}: '${key}' has shape ${formatShape(value.shape)}, but must have shape ${formatShape(shape)}`);
  }
}

function describeValue(value: StateValue): string {
  if (value instanceof Tensor) return `a tensor of shape ${formatShape(value.shape)}`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return `${typeof value} ${String(value)}`;
}
