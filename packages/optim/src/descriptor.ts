import type { FloatArray } from '@loom/core';
import type { OptimizerOptions } from './optimizer.js';

/**
 * Per-parameter scalar state besides the step count, the same for every element (ASGD's `eta`
 * and `mu`, NAdam's `muProduct`). A data-parallel trainer holds it once per parameter group.
 */
export type ScalarState = Record<string, number>;

/**
 * An optimizer's pure update over flat slices: reads `grad`, updates `param` and the per-element
 * state buffers in place, allocates nothing. Every element is updated independently, so one call
 * on a vector and k calls on k slices of it give bit-identical results. Arithmetic is in float64
 * in PyTorch's operation order; float32 slices round only the values they store.
 *
 * `step` is the 1-based count of updates this parameter has received, this one included.
 */
export type UpdateFn<H, S> = (param: FloatArray, grad: FloatArray, state: S, hyper: H, step: number) => void;

/**
 * Everything a trainer needs to run an optimizer without its class: how to turn a parameter
 * group's options into the update's hyperparameters, which per-element buffers to allocate and
 * how to fill them, and the update itself.
 *
 * Per step and parameter group the trainer calls `hyper(options, scalars, step)` once (it
 * advances `scalars` in place), then `update` on every slice with the same hyperparameters.
 */
export interface OptimizerDescriptor<O extends OptimizerOptions, H, S> {
  /** The class name, as the registry and PyTorch spell it ('Adam'). */
  readonly name: string;
  /** The options a group gets when it leaves them out (SGD has no default `lr`). */
  readonly defaults: Readonly<Partial<O>>;
  /** Names of the scalar state `initScalars` creates, in PyTorch's order. */
  readonly scalarNames: readonly string[];
  /** Initial scalar state of a parameter. */
  initScalars(options: O): ScalarState;
  /** The update's hyperparameters for step `step`; advances `scalars` to their value after it. */
  hyper(options: O, scalars: ScalarState, step: number): H;
  /** Names of the per-element state buffers these hyperparameters need, in PyTorch's order. */
  stateBuffers(hyper: H): readonly string[];
  /** The value a new buffer starts with (0 unless said otherwise). */
  initState(buffer: string, hyper: H): number;
  readonly update: UpdateFn<H, S>;
}

/** Throws unless the gradient and every state buffer have the parameter's length. */
export function checkSlices(op: string, param: FloatArray, grad: FloatArray, state: object): void {
  const n = param.length;
  if (grad.length !== n) throw new RangeError(`${op}: gradient slice of length ${grad.length} for a parameter slice of ${n}`);
  for (const [name, buffer] of Object.entries(state) as [string, FloatArray | undefined][]) {
    if (buffer !== undefined && buffer.length !== n) {
      throw new RangeError(`${op}: state buffer '${name}' of length ${buffer.length} for a parameter slice of ${n}`);
    }
  }
}

/** Scalar state for optimizers that keep none besides the step. */
export function noScalars(): ScalarState {
  return {};
}

/** Buffers start at zero. */
export function zeroInit(): number {
  return 0;
}
