import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './grad-mode.js';
import { VIEW_OPS } from './record.js';

/**
 * Every in-place write into `t` by a public op (`add_`, `mul_`, `fill_`, `copy_`, …) goes through
 * here: it bumps the storage's version (so that backward refuses saved values it changed) and,
 * while grad mode is on, refuses what autograd cannot follow, as PyTorch does for leaves.
 * Loom's autograd does not record in-place ops, so an in-place op on a computed tensor that
 * requires grad cuts it off: backward through it throws, saying to write the op out of place.
 * @param t - the tensor about to be written in place; in grad mode a leaf that requires grad, or a
 *   view of a tensor that does, throws.
 * @param op - the in-place op's name ('add_'), used in the errors and recorded in the version.
 */
export function checkInPlace(t: Tensor, op: string): void {
  if (t.requiresGrad && isGradEnabled()) {
    const gradFn = t.gradFn;
    if (gradFn === null) {
      throw new Error(
        `${op}: a leaf Variable that requires grad is being used in an in-place operation. ` +
          'Update parameters inside noGrad(() => …) (as optimizers do), or use the out-of-place op.',
      );
    }
    if (VIEW_OPS.has(gradFn.name)) {
      throw new Error(
        `${op}: in-place operation on a view (${gradFn.name}) of a tensor that requires grad; ` +
          'autograd cannot follow it: use the out-of-place op, or clone() the view first.',
      );
    }
    const shape = formatShape(t.shape);
    t.gradFn = {
      name: op,
      inputs: [],
      backward: () => {
        throw new Error(
          `backward: the output of ${gradFn.name} (shape ${shape}) was modified by the in-place operation ${op} ` +
            `while it required grad, and Loom's autograd does not record in-place ops: write it out of place (x = x.${op.slice(0, -1)}(…)).`,
        );
      },
      versions: null,
      freed: false,
    };
  }
  t.storage.bumpVersion(op);
}
