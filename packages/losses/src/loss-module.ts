import { Module, type Tensor } from '@loom/core';

/**
 * Base of every loss module: a `Module` whose `forward(input, target)` returns the loss
 * (`forward(input1, input2, target)` for `MarginRankingLoss`), configured once by its options.
 */
export abstract class LossModule extends Module {
  /** How the per-element losses are reduced. */
  abstract readonly reduction: string;

  /**
   * The loss of `input` against `target`, reduced as `reduction` says.
   * @param input - the predictions (logits, probabilities or values, per loss)
   * @param target - the targets: values, probabilities, labels or int32 class indices, per loss
   * @param more - `MarginRankingLoss` only: its target (its `input` and `target` are `input1` and `input2`); other losses
   *   take none
   */
  abstract override forward(input: Tensor, target: Tensor, ...more: Tensor[]): Tensor;
}
