import { neg, numel, record, Tensor, to, type TypedArray } from '@loom/core';
import { broadcastLossShapes, checkFloating, checkTargetWithoutGrad, resultDType } from './checks.js';
import { gradTo, valuesOver } from './operands.js';
import { reducedOutput, type Reduction, type Upstream, upstreamOf } from './reduction.js';

/** The arithmetic of one pointwise loss over flat arrays; `pointwiseLoss` does everything else. */
export interface PointwiseKernel {
  /** Writes each element's loss into `out`, or, when `out` is null, returns their sum. */
  forward(x: TypedArray, y: TypedArray, out: TypedArray | null): number;
  /** Writes d loss / d input, times the upstream gradient, into `grad`. */
  backward(x: TypedArray, y: TypedArray, up: Upstream, grad: TypedArray): void;
}

/** What a pointwise loss hands to `pointwiseLoss`. */
export interface PointwiseSpec {
  /** The public name, for messages and the autograd graph. */
  op: string;
  input: Tensor;
  target: Tensor;
  reduction: Reduction;
  /** What 'mean' divides by; the number of elements by default. */
  divisor?: number;
  /** The loss is a function of input − target alone, so the target's gradient is the input's negated. */
  differenceOnly?: boolean;
  kernel: PointwiseKernel;
}

/**
 * Runs a pointwise loss: checks and broadcasts the operands (as PyTorch's elementwise losses do),
 * computes the loss in one pass, reduces it, and records a backward that computes the gradient in
 * one more pass and sums it back to each operand's shape.
 */
export function pointwiseLoss(spec: PointwiseSpec): Tensor {
  const { op, input, target, reduction, kernel } = spec;
  checkFloating(op, input, 'input');
  checkFloating(op, target, 'target');
  if (spec.differenceOnly !== true) checkTargetWithoutGrad(op, target);
  const shape = broadcastLossShapes(op, input.shape, target.shape);
  const dtype = resultDType(input, target);
  const count = spec.divisor ?? numel(shape);
  const x = valuesOver(input, shape);
  const y = valuesOver(target, shape);
  const out = reduction === 'none' ? Tensor.empty(shape, dtype) : null;
  const total = kernel.forward(x, y, out && out.data());
  const result = out ?? reducedOutput(total, count, reduction, dtype);
  return record(op, result, [input, target], (g) => {
    const grad = Tensor.empty(shape, dtype);
    // Read again, not kept from the forward: outside a scope, a pass may have moved these regions
    // out and given them to other tensors since (a kept array would read their bytes).
    kernel.backward(valuesOver(input, shape), valuesOver(target, shape), upstreamOf(g, reduction, count), grad.data());
    const gradTarget = spec.differenceOnly && target.requiresGrad ? gradTo(to(neg(grad), target.dtype), target) : null;
    return [gradTo(to(grad, input.dtype), input), gradTarget];
  });
}
