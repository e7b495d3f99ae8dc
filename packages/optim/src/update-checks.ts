import { type FloatArray, formatValue } from '@loom/core';
import { checkSlices } from './descriptor.js';

/**
 * What each hyperparameter of an update holds, kept equal to the hyperparameter type by the
 * compiler: 'number' (not NaN), 'flag' (a boolean) or 'pair' (two numbers, not NaN).
 */
export type HyperKinds<H> = {
  readonly [K in keyof Required<H>]: Required<H>[K] extends boolean
    ? 'flag'
    : Required<H>[K] extends number
      ? 'number'
      : Required<H>[K] extends readonly [number, number]
        ? 'pair'
        : never;
};

/** What a pure update checks its arguments against: the hyperparameters, the state buffers and the step. */
export interface UpdateSpec<H> {
  /** Every hyperparameter the update reads, and its kind. */
  readonly kinds: HyperKinds<H>;
  /**
   * The state buffers the update needs with these hyperparameters (the descriptor's `stateBuffers`).
   * @param hyper - the update's hyperparameters, already checked against `kinds`
   */
  buffers(hyper: H): readonly string[];
  /** Whether `step` is a count (an integer ≥ 1; the bias corrections divide by 1 − βᵗ), else only a number. */
  readonly countsSteps: boolean;
}

function isFloatArray(value: unknown): value is FloatArray {
  return value instanceof Float32Array || value instanceof Float64Array;
}

function isNumber(value: unknown): boolean {
  return typeof value === 'number' && !Number.isNaN(value);
}

const kindLists = new WeakMap<object, readonly (readonly [string, string])[]>();

/** `spec.kinds` as [key, kind] pairs, listed once per spec. */
function kindList(spec: UpdateSpec<unknown>): readonly (readonly [string, string])[] {
  let list = kindLists.get(spec);
  if (list === undefined) {
    list = Object.entries(spec.kinds) as [string, string][];
    kindLists.set(spec, list);
  }
  return list;
}

function hyperError(op: string, key: string, kind: string, value: unknown): TypeError {
  const wanted = kind === 'flag' ? 'true or false' : kind === 'pair' ? 'two numbers' : 'a number';
  return new TypeError(`${op}: hyper.${key} must be ${wanted}, got ${formatValue(value)}`);
}

/**
 * Checks the arguments of an exported pure update once per call, not per element: `param` and
 * `grad` float arrays of one length, every hyperparameter present with its kind and not NaN, every
 * state buffer these hyperparameters need present and of `param`'s length, and a sound `step`. A
 * missing or NaN field would otherwise turn every parameter into NaN without a word.
 * @param op - the update's name, which starts the error ('adamUpdate')
 * @param param - the parameter slice
 * @param grad - the gradient slice
 * @param state - the state buffers by name
 * @param hyper - the hyperparameters
 * @param step - the 1-based step count (any number for updates that keep no count)
 * @param spec - what this update reads
 */
export function checkUpdate<H>(
  op: string,
  param: unknown,
  grad: unknown,
  state: unknown,
  hyper: unknown,
  step: unknown,
  spec: UpdateSpec<H>,
): void {
  if (!isFloatArray(param)) throw new TypeError(`${op}: param must be a Float32Array or Float64Array, got ${formatValue(param)}`);
  if (!isFloatArray(grad)) throw new TypeError(`${op}: grad must be a Float32Array or Float64Array, got ${formatValue(grad)}`);
  if (typeof hyper !== 'object' || hyper === null)
    throw new TypeError(`${op}: hyper must be an object of hyperparameters, got ${formatValue(hyper)}`);
  const record = hyper as Record<string, unknown>;
  // Plain loops over a list made once per spec: a trainer calls this on every step.
  const kinds = kindList(spec);
  for (let i = 0; i < kinds.length; i++) {
    const key = kinds[i]![0];
    const kind = kinds[i]![1];
    const value = record[key];
    const ok =
      kind === 'flag'
        ? typeof value === 'boolean'
        : kind === 'pair'
          ? Array.isArray(value) && value.length === 2 && isNumber(value[0]) && isNumber(value[1])
          : isNumber(value);
    if (!ok) throw hyperError(op, key, kind, value);
  }
  if (typeof state !== 'object' || state === null)
    throw new TypeError(`${op}: state must be an object of buffers, got ${formatValue(state)}`);
  const buffers = spec.buffers(hyper as H);
  for (let i = 0; i < buffers.length; i++) {
    const name = buffers[i]!;
    const buffer = (state as Record<string, unknown>)[name];
    if (!isFloatArray(buffer))
      throw new TypeError(`${op}: state.${name} must be a Float32Array or Float64Array, got ${formatValue(buffer)}`);
  }
  checkSlices(op, param, grad, state);
  const stepOk = spec.countsSteps ? Number.isInteger(step) && (step as number) >= 1 : typeof step === 'number' && !Number.isNaN(step);
  if (!stepOk) {
    throw new RangeError(
      `${op}: step must be ${spec.countsSteps ? 'the 1-based step count, an integer ≥ 1' : 'a number'}, got ${formatValue(step)}`,
    );
  }
}
