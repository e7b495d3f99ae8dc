import type { Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './grad-mode.js';

/**
 * Attaches an op's backward rule to its output when grad mode is on and any input requires a
 * gradient. Every op calls this right after computing its forward, so that each backward rule
 * sits beside its forward.
 */
export function record(
  name: string,
  output: Tensor,
  inputs: readonly Tensor[],
  backward: (gradOutput: Tensor) => readonly (Tensor | null)[],
): Tensor {
  if (isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
    output.requiresGrad = true;
    output.gradFn = { name, inputs, backward };
  }
  return output;
}

/** Whether an op's backward needs the gradient of input `t`. */
export function needsGrad(t: Tensor | null | undefined): boolean {
  return !!t && t.requiresGrad;
}
