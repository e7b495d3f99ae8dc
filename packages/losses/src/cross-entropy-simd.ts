import { defineKernel, softmaxXentRowsKernel, Tensor, type TypedArray } from '@loom/core';
import type { Reduction } from './reduction.js';

/**
 * Whether class-index cross-entropy can take core's fused SIMD kernel: float32 logits [N, C]
 * (no spatial dims), no class weights, no label smoothing, and an ignoreIndex that is no class
 * (the kernel skips rows whose target lies outside [0, C), which is then exactly the ignored
 * rows), with the WebAssembly kernels in use.
 */
export function simdCrossEntropyApplies(
  input: Tensor,
  s: number,
  weighted: boolean,
  labelSmoothing: number,
  ignoreIndex: number,
  c: number,
): boolean {
  return (
    input.dtype === 'float32' &&
    s === 1 &&
    !weighted &&
    labelSmoothing === 0 &&
    (ignoreIndex < 0 || ignoreIndex >= c) &&
    softmaxXentRowsKernel.backendFor('float32') === 'wasm'
  );
}

/**
 * Class-index cross-entropy on the fused SIMD kernel: one pass per row gives the row's loss and,
 * when wanted, softmax − one-hot (in the input's shape, [N, C] or an unbatched [C]), which is scaled here as the 'mean' / 'sum' / 'none' reduction
 * needs (see `savedGradBackward`). Returns the loss and the saved gradient.
 */
export function simdCrossEntropy(
  inputShape: readonly number[],
  x: TypedArray,
  targets: Int32Array,
  n: number,
  c: number,
  reduction: Reduction,
  count: number,
  wantGrad: boolean,
): { result: Tensor; saved: Tensor | null } {
  const rowLoss = Tensor.empty([n], 'float32');
  const saved = wantGrad ? Tensor.empty(inputShape, 'float32') : null;
  const losses = rowLoss.data();
  softmaxXentRowsKernel.select('float32')(n, c, x, 0, targets, 0, losses, 0, saved && saved.data(), 0);
  if (reduction === 'none') return { result: rowLoss, saved };
  const result = Tensor.empty([], 'float32');
  const mean = reduction === 'mean';
  reduceRowLossesKernel.select('float32')(losses, n, mean, count, result.data(), saved && mean ? saved.data() : null);
  return { result, saved };
}

/**
 * The fused kernel's row losses summed into the 0-d result, divided by `count` for 'mean', and the
 * saved gradient (when given) scaled by 1 / count. A kernel, not inline JS, so that a kernel tape
 * (chunk replay) redoes it.
 */
const reduceRowLossesKernel = defineKernel(
  'reduceRowLosses',
  (losses: TypedArray, n: number, mean: boolean, count: number, result: TypedArray, saved: TypedArray | null): void => {
    let total = 0;
    for (let i = 0; i < n; i++) total += losses[i]!;
    result[0] = mean ? total / count : total;
    if (saved === null) return;
    const scale = 1 / count;
    for (let i = 0; i < saved.length; i++) saved[i] = saved[i]! * scale;
  },
);
