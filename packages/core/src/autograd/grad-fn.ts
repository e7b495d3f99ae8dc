import type { Storage } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * The record an op leaves on its output: which tensors it read and how to turn the gradient of
 * its output into gradients of those inputs (null where an input needs none).
 */
export interface GradFn {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  /**
   * The gradients of `inputs`, in their order (null where an input needs none).
   * @param gradOutput - the gradient of the loss with respect to the op's output, of its shape.
   * @param into - where backward may write an input's gradient instead of a new tensor (then it
   *   returns that tensor): per input, a contiguous tensor of its shape and dtype, or null; absent
   *   when there is none. Backward offers a leaf's own `.grad` when it is to be written over
   *   (`overwriteGrad`, a trainer's gradient slot), which saves copying it there. Rules may ignore it.
   */
  backward(gradOutput: Tensor, into?: readonly (Tensor | null)[]): readonly (Tensor | null)[];
  /**
   * The storage versions of the inputs, then of the output, when the op ran; null for ops whose
   * backward reads no values (add, views, …). Backward throws if one changed since.
   */
  readonly versions?: readonly number[] | null;
  /** Set when a backward without `retainGraph` went through this node: its saved values are gone. */
  freed?: boolean;
  /**
   * Storages of intermediate values that only the graph behind this node can reach (see
   * releaseIntermediates): freed when a backward without `retainGraph` has gone through it.
   */
  releasesAfterBackward?: Storage[];
}
