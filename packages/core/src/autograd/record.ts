import type { Tensor } from '../tensor/tensor.js';
import type { GradFn } from './grad-fn.js';
import { isGradEnabled } from './grad-mode.js';

/**
 * Ops whose backward uses no value of their inputs or output (only shapes): an in-place change
 * of those cannot make their gradient wrong, so their versions are not checked (as PyTorch saves
 * no tensor for them).
 */
const READS_NO_VALUES = new Set([
  'add',
  'sub',
  'sum',
  'mean',
  'clone',
  'to',
  'cat',
  'view',
  'permute',
  'squeeze',
  'unsqueeze',
  'expand',
  'narrow',
]);

/** Ops whose output shares its input's storage. */
export const VIEW_OPS = new Set(['view', 'permute', 'squeeze', 'unsqueeze', 'expand', 'narrow']);

/**
 * Attaches an op's backward rule to its output when grad mode is on and any input requires a
 * gradient. Every op calls this right after computing its forward, so that each backward rule
 * sits beside its forward. The storage versions of the inputs and output are noted, so that
 * backward can refuse values an in-place op changed since.
 * @param name - the op's name, shown in errors; view ops and ops whose backward reads no values
 *   are recognised by it (their versions are not checked)
 * @param output - the op's result, returned; it gets `requiresGrad` and `gradFn` when recorded
 * @param inputs - the tensors the op read, in the order `backward` returns their gradients
 * @param backward - maps the gradient of `output` (its shape) to one gradient per input, each of
 *   that input's shape, or null where the input needs none (see GradFn's `backward` for its
 *   optional second argument)
 */
export function record(name: string, output: Tensor, inputs: readonly Tensor[], backward: GradFn['backward']): Tensor {
  if (isGradEnabled() && anyRequiresGrad(inputs)) {
    let versions: number[] | null = null;
    if (!READS_NO_VALUES.has(name)) {
      // Plain loops (no callbacks): every op of every training step records here.
      const n = inputs.length;
      versions = new Array<number>(n + 1);
      for (let k = 0; k < n; k++) versions[k] = inputs[k]!.storage.version;
      versions[n] = output.storage.version;
    }
    const gradFn: GradFn = { name, inputs, backward, versions, freed: false };
    output.requiresGrad = true;
    output.gradFn = gradFn;
  }
  return output;
}

/**
 * Whether an op on these inputs records its backward (grad mode on and an input requires a
 * gradient): ops that run on every training step ask first, so that they build no backward
 * closure for `record` to drop (inside backward, under noGrad, nothing is recorded).
 * @param a - an input of the op
 * @param b - another input, if the op has two; null or omitted otherwise
 */
export function recording(a: Tensor, b: Tensor | null = null): boolean {
  return isGradEnabled() && (a.requiresGrad || (b !== null && b.requiresGrad));
}

function anyRequiresGrad(inputs: readonly Tensor[]): boolean {
  for (let k = 0; k < inputs.length; k++) if (inputs[k]!.requiresGrad) return true;
  return false;
}

/**
 * Whether an op's backward needs the gradient of input `t`.
 * @param t - an op's input; null or undefined (an absent optional input, e.g. no bias) gives false
 */
export function needsGrad(t: Tensor | null | undefined): boolean {
  return !!t && t.requiresGrad;
}
