import type { Tensor } from '../tensor/tensor.js';

/**
 * The record an op leaves on its output: which tensors it read and how to turn the gradient of
 * its output into gradients of those inputs (null where an input needs none).
 */
export interface GradFn {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  backward(gradOutput: Tensor): readonly (Tensor | null)[];
}
