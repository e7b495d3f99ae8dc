import { Module, type Tensor } from '@loom/core';

/**
 * Base of every loss module: a `Module` whose `forward(input, target)` returns the loss
 * (`forward(input1, input2, target)` for `MarginRankingLoss`), configured once by its options.
 */
export abstract class LossModule extends Module {
  /** How the per-element losses are reduced. */
  abstract readonly reduction: string;

  abstract override forward(input: Tensor, target: Tensor, ...more: Tensor[]): Tensor;
}
