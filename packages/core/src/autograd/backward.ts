import { isFloating } from '../dtype.js';
import { persistent } from '../memory/context.js';
import { add, add_ } from '../ops/binary.js';
import { clone, copyInto } from '../ops/copy.js';
import { onesLike } from '../ops/creation.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { RowSparseTensor } from '../tensor/row-sparse.js';
import type { Tensor } from '../tensor/tensor.js';
import { noGrad } from './grad-mode.js';

/** Tensors reachable from `root` through gradFn inputs, each after everything it depends on. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  // Iterative DFS: deep graphs (long sequences of ops) must not overflow the call stack.
  const stack: [Tensor, boolean][] = [[root, false]];
  while (stack.length > 0) {
    const [t, expanded] = stack.pop()!;
    if (expanded) {
      order.push(t);
      continue;
    }
    if (seen.has(t)) continue;
    seen.add(t);
    stack.push([t, true]);
    for (const input of t.gradFn?.inputs ?? []) {
      if (input.requiresGrad && !seen.has(input)) stack.push([input, false]);
    }
  }
  return order;
}

/** The gradients backward allocated for leaves: only these may be released by `releaseGrad`. */
const allocatedGrads = new WeakSet<Tensor>();

/**
 * Gives the memory of a gradient that backward allocated back at once (what `zeroGrad()` does when
 * it sets `.grad` to null), instead of when the garbage collector gets to it — which a long
 * synchronous training loop never lets happen. The tensor must not be used afterwards (access
 * throws). Gradients set by user code are left alone.
 */
export function releaseGrad(grad: Tensor | null): void {
  if (!grad || !allocatedGrads.has(grad)) return;
  allocatedGrads.delete(grad);
  (grad instanceof RowSparseTensor ? grad.values : grad).storage.release();
}

/** Adds `g` into a leaf's persistent `.grad` (allocated on first use). */
function accumulateLeaf(leaf: Tensor, g: Tensor): void {
  if (!shapesEqual(g.shape, leaf.shape)) {
    throw new Error(`backward: gradient of shape ${formatShape(g.shape)} for a leaf of shape ${formatShape(leaf.shape)}`);
  }
  persistent(() => {
    if (leaf.grad === null) {
      leaf.grad = g instanceof RowSparseTensor ? new RowSparseTensor(g.indices.slice(), clone(g.values), g.shape) : clone(g);
      allocatedGrads.add(leaf.grad);
      return;
    }
    if (leaf.grad instanceof RowSparseTensor) {
      leaf.grad = accumulateSparse(leaf.grad, g);
      allocatedGrads.add(leaf.grad);
      return;
    }
    // A dense .grad (a trainer's gradient slot, say) stays the same tensor: written over when
    // flagged, else added to — row by row for a row-sparse gradient.
    if (leaf.overwriteGrad) {
      leaf.overwriteGrad = false;
      if (g instanceof RowSparseTensor) leaf.grad.data().fill(0);
      else {
        copyInto(leaf.grad, g);
        return;
      }
    }
    if (g instanceof RowSparseTensor) {
      addRowsInto(leaf.grad, g);
      return;
    }
    add_(leaf.grad, g);
  });
}

/** dense[indices[k]] += values[k] for every row of a row-sparse tensor, in place. */
function addRowsInto(dense: Tensor, sparse: RowSparseTensor): void {
  const d = dense.data();
  const v = sparse.values.contiguous().data();
  const row = sparse.rowSize;
  sparse.indices.forEach((r, k) => {
    for (let j = 0; j < row; j++) d[r * row + j] = d[r * row + j]! + v[k * row + j]!;
  });
}

/** Sums two gradients of which at least one is row-sparse. */
function accumulateSparse(a: Tensor, b: Tensor): Tensor {
  return a instanceof RowSparseTensor ? a.accumulate(b) : (b as RowSparseTensor).accumulate(a);
}

/**
 * Computes gradients of `root` with respect to every leaf that requires them, accumulating into
 * their `.grad`, as `tensor.backward(gradient)` does. Without `gradient`, `root` must hold one
 * element.
 */
export function backward(root: Tensor, gradient?: Tensor): void {
  if (!root.requiresGrad) {
    throw new Error('backward: element 0 of tensors does not require grad and does not have a grad_fn');
  }
  if (gradient === undefined) {
    if (root.numel !== 1) {
      throw new Error(`backward: grad can be implicitly created only for scalar outputs (got shape ${formatShape(root.shape)})`);
    }
    gradient = onesLike(root);
  } else if (!shapesEqual(gradient.shape, root.shape)) {
    throw new Error(`backward: gradient has shape ${formatShape(gradient.shape)} but the output has shape ${formatShape(root.shape)}`);
  }
  noGrad(() => {
    const grads = new Map<Tensor, Tensor>([[root, gradient]]);
    const order = topologicalOrder(root);
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i]!;
      const g = grads.get(t);
      if (!g) continue;
      grads.delete(t);
      if (!t.gradFn) {
        accumulateLeaf(t, g);
        continue;
      }
      const inputGrads = t.gradFn.backward(g);
      t.gradFn.inputs.forEach((input, k) => {
        const gi = inputGrads[k];
        if (!gi || !input.requiresGrad || !isFloating(input.dtype)) return;
        const prev = grads.get(input);
        grads.set(input, prev ? (prev.isSparse || gi.isSparse ? accumulateSparse(prev, gi) : add(prev, gi)) : gi);
      });
    }
  });
}
