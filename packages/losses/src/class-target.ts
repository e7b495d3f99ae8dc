import { formatShape, formatValue, shapesEqual, type Tensor, type TypedArray } from '@loom/core';
import { checkFloating, checkTensor } from './checks.js';
import { valuesOver } from './operands.js';
import { checkReduction, type Reduction } from './reduction.js';

/** Options shared by the losses that take class-index targets. */
export interface ClassLossOptions {
  /**
   * How the per-sample losses are reduced: 'mean' (default) divides their sum by the summed class weights of the targets that are not
   * ignored (their count without `weight`; NaN when all are ignored; cross-entropy with class probabilities divides by the number of
   * samples), 'sum' adds them, 'none' returns them in the target's shape (the input's without its class dimension).
   */
  reduction?: Reduction;
  /** A manual rescaling weight for each class: a 1-D tensor of length C. */
  weight?: Tensor | null;
  /** A target value that is ignored and adds nothing to the loss nor to its normaliser; default −100. */
  ignoreIndex?: number;
}

/** Class-loss options after validation. */
export interface CheckedClassOptions {
  reduction: Reduction;
  weight: Tensor | null;
  ignoreIndex: number;
}

/**
 * How a class-index loss reads its input: N samples × C classes × S positions, S being the
 * product of the spatial dims d1..dk (1 for (N, C) and for an unbatched (C,) input).
 */
export interface ClassLayout {
  n: number;
  c: number;
  s: number;
  /** The shape of the unreduced loss: the target's shape. */
  outShape: number[];
}

/** PyTorch's default `ignore_index`. */
export const DEFAULT_IGNORE_INDEX = -100;

/** Validates the options every class-index loss shares. */
export function checkClassOptions(op: string, options: ClassLossOptions): CheckedClassOptions {
  const weight = options.weight ?? null;
  if (weight !== null) {
    checkFloating(op, weight, 'weight');
    if (weight.ndim !== 1)
      throw new RangeError(`${op}: weight must be a 1-D tensor with one value per class, got shape ${formatShape(weight.shape)}`);
  }
  const ignoreIndex = options.ignoreIndex ?? DEFAULT_IGNORE_INDEX;
  if (!Number.isInteger(ignoreIndex)) throw new TypeError(`${op}: ignoreIndex must be an integer, got ${formatValue(ignoreIndex)}`);
  return { reduction: checkReduction(op, options.reduction), weight, ignoreIndex };
}

/** The shape a class-index target must have for `input`: the input's shape without its class dim. */
function expectedTargetShape(input: Tensor): number[] {
  return input.ndim === 1 ? [] : [input.shape[0]!, ...input.shape.slice(2)];
}

/**
 * Checks that `target` holds class indices for `input` (int32, of the input's shape without its
 * class dimension) and returns the layout. A float target is refused with a message that says so.
 */
export function classLayout(op: string, input: Tensor, target: Tensor, floatHint = ''): ClassLayout {
  checkFloating(op, input, 'input');
  checkTensor(op, target, 'target');
  if (input.ndim < 1) throw new RangeError(`${op}: expected an input with 1 or more dimensions (got 0)`);
  const expected = expectedTargetShape(input);
  if (target.dtype !== 'int32') {
    throw new TypeError(
      `${op}: expected class indices, an int32 target of shape ${formatShape(expected)}, but got a ${target.dtype} target ` +
        `of shape ${formatShape(target.shape)}${floatHint}`,
    );
  }
  if (input.ndim >= 2 && (target.ndim === 0 || target.shape[0] !== input.shape[0])) {
    throw new RangeError(
      `${op}: expected input batch_size (${input.shape[0]}) to match target batch_size (${target.ndim === 0 ? 'none: a 0-d target' : target.shape[0]})`,
    );
  }
  if (!shapesEqual(target.shape, expected)) {
    throw new RangeError(
      `${op}: target of shape ${formatShape(target.shape)} does not fit input of shape ${formatShape(input.shape)}: ` +
        `expected ${formatShape(expected)} (the input's shape without its class dimension)`,
    );
  }
  const n = input.ndim === 1 ? 1 : input.shape[0]!;
  const c = input.ndim === 1 ? input.shape[0]! : input.shape[1]!;
  return { n, c, s: input.ndim > 2 ? input.shape.slice(2).reduce((a, b) => a * b, 1) : 1, outShape: expected };
}

/**
 * The target's class indices, checked to lie in [0, C) unless equal to `ignoreIndex`: a view of
 * the shared memory where it can be (the SIMD kernels take it there), so read it at once, as
 * `valuesOver`; a backward fetches it again.
 */
export function classIndices(op: string, target: Tensor, c: number, ignoreIndex: number): Int32Array {
  const t = valuesOver(target, target.shape) as Int32Array;
  for (let i = 0; i < t.length; i++) {
    const k = t[i]!;
    if (k !== ignoreIndex && (k < 0 || k >= c)) {
      throw new RangeError(
        `${op}: Target ${k} is out of bounds: class indices must lie in [0, ${c}) for ${c} classes (target element ${i})`,
      );
    }
  }
  return t;
}

/** The per-class weights as an array of length C (read it at once, as classIndices), or null; throws when the length is not C. */
export function classWeights(op: string, weight: Tensor | null, c: number): TypedArray | null {
  if (weight === null) return null;
  if (weight.numel !== c) {
    throw new RangeError(
      `${op}: weight tensor should be defined either for all ${c} classes or no classes but got weight tensor of shape ${formatShape(weight.shape)}`,
    );
  }
  return valuesOver(weight, weight.shape);
}

/** Σ weight[t] over the targets that are not ignored (their count without weights): what 'mean' divides by. */
export function targetWeightSum(t: Int32Array, w: TypedArray | null, ignoreIndex: number): number {
  let total = 0;
  for (let i = 0; i < t.length; i++) {
    const k = t[i]!;
    if (k !== ignoreIndex) total += w ? w[k]! : 1;
  }
  return total;
}
