import { isFloating } from '../dtype.js';
import { closeScope, openScope, persistent } from '../memory/context.js';
import { add, add_ } from '../ops/binary.js';
import { clone, copyInto } from '../ops/copy.js';
import { onesLike } from '../ops/creation.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { RowSparseTensor } from '../tensor/row-sparse.js';
import type { Storage } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { checkFlag, checkOptions } from '../util/options.js';
import type { GradFn } from './grad-fn.js';
import { noGrad } from './grad-mode.js';

/** Tensors reachable from `root` through gradFn inputs, each after everything it depends on. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  // Iterative DFS: deep graphs (long sequences of ops) must not overflow the call stack. Two
  // parallel stacks rather than a pair per entry: backward runs on every step of a training loop.
  const stack: Tensor[] = [root];
  const expanded: boolean[] = [false];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (expanded.pop()!) {
      order.push(t);
      continue;
    }
    if (seen.has(t)) continue;
    seen.add(t);
    stack.push(t);
    expanded.push(true);
    const inputs = t.gradFn?.inputs;
    if (!inputs) continue;
    for (let k = 0; k < inputs.length; k++) {
      const input = inputs[k]!;
      if (input.requiresGrad && !seen.has(input)) {
        stack.push(input);
        expanded.push(false);
      }
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
 * @param grad - a leaf's `.grad` (dense or row-sparse); `null`, or a tensor backward did not
 *   allocate, is a no-op. Released once: a second call does nothing
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
      // The only contribution, written straight into .grad by its op (see gradDestinations).
      if (g === leaf.grad) return;
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

/**
 * Where `node`'s backward may write its inputs' gradients (GradFn's `into`): the `.grad` of each
 * input that is a leaf whose dense `.grad` is to be written over (`overwriteGrad`) and that has no
 * gradient yet in this pass, so that the first contribution lands in place and the copy into
 * `.grad` is saved; null when no input qualifies (most nodes). A later contribution is added to
 * what was written and copied over it as before, so the sum and its bits are the same. A leaf
 * that is two inputs of the node gets no destination.
 */
function gradDestinations(node: GradFn, grads: Map<Tensor, Tensor>): (Tensor | null)[] | null {
  const inputs = node.inputs;
  let into: (Tensor | null)[] | null = null;
  for (let k = 0; k < inputs.length; k++) {
    const t = inputs[k]!;
    const grad = t.grad;
    if (
      t.gradFn !== null ||
      !t.overwriteGrad ||
      grad === null ||
      grad instanceof RowSparseTensor ||
      grad.dtype !== t.dtype ||
      !shapesEqual(grad.shape, t.shape) ||
      !grad.isContiguous() ||
      grads.has(t) ||
      inputs.indexOf(t) !== k ||
      inputs.lastIndexOf(t) !== k
    ) {
      continue;
    }
    into ??= new Array<Tensor | null>(inputs.length).fill(null);
    into[k] = grad;
  }
  return into;
}

/** Sums two gradients of which at least one is row-sparse. */
function accumulateSparse(a: Tensor, b: Tensor): Tensor {
  return a instanceof RowSparseTensor ? a.accumulate(b) : (b as RowSparseTensor).accumulate(a);
}

/** Options of `backward`, as PyTorch's `retain_graph`. */
export interface BackwardOptions {
  /** The gradient of `root` (default: 1 for a one-element root). */
  gradient?: Tensor;
  /** Keep the graph's saved values for another backward through it (default false). */
  retainGraph?: boolean;
}

const BACKWARD_OPTIONS = ['gradient', 'retainGraph'] as const;

/** How a tensor saved by an op is described in errors. */
function describe(t: Tensor): string {
  const origin = t.gradFn ? `the output of ${t.gradFn.name}` : t.requiresGrad ? 'a leaf that requires grad' : 'an input';
  return `a tensor of shape ${formatShape(t.shape)} (${origin})`;
}

/** Throws when backward cannot go through `node` (the gradFn of `output`) correctly. */
function checkNode(node: GradFn, output: Tensor): void {
  if (node.freed) {
    throw new Error(
      'backward: Trying to backward through the graph a second time (or directly access saved tensors after they ' +
        `have already been freed; reached ${node.name}). Saved intermediate values of the graph are freed when you ` +
        'call .backward(). Specify retainGraph: true — backward({ retainGraph: true }) — if you need to backward ' +
        'through the graph a second time.',
    );
  }
  const versions = node.versions;
  if (!versions) return;
  const n = node.inputs.length;
  for (let k = 0; k <= n; k++) {
    const t = k < n ? node.inputs[k]! : output;
    if (t.storage.version === versions[k]) continue;
    throw new Error(
      'backward: one of the variables needed for gradient computation has been modified by an inplace operation' +
        ` (${t.storage.lastWrite}): ${describe(t)}, ${k < n ? `input ${k}` : 'the output'} of ${node.name}, is at ` +
        `version ${t.storage.version}; expected version ${versions[k]} instead. Hint: do the in-place op on a clone(), ` +
        'or after backward().',
    );
  }
}

/**
 * Computes gradients of `root` with respect to every leaf that requires them, accumulating into
 * their `.grad`, as `tensor.backward(gradient, { retainGraph })` does. Without `gradient`, `root`
 * must hold one element. The graph's nodes are freed unless `retainGraph`: a second backward
 * through them throws. Backward's own temporaries live in an arena scope freed when it returns;
 * only the leaves' gradients are persistent.
 * @param root - the output to differentiate (usually the loss); it must require grad.
 * @param gradientOrOptions - the gradient of `root` (a tensor of its shape; default ones for a
 *   one-element root), or the options in its place, `backward(root, { retainGraph: true })`.
 * @param options - `gradient` and `retainGraph` (default false), see {@link BackwardOptions};
 *   give the options in one place only, here or as the second argument.
 */
export function backward(root: Tensor, gradientOrOptions?: Tensor | BackwardOptions, options?: BackwardOptions): void {
  let gradient: Tensor | undefined;
  let opts: BackwardOptions | undefined = options;
  if (gradientOrOptions === undefined || gradientOrOptions instanceof Tensor) gradient = gradientOrOptions;
  else {
    if (options !== undefined) throw new TypeError('backward: pass options once: backward(gradient, options) or backward(options)');
    opts = gradientOrOptions;
  }
  checkOptions('backward', opts, BACKWARD_OPTIONS);
  checkFlag('backward', 'retainGraph', opts?.retainGraph);
  if (gradient !== undefined && opts?.gradient !== undefined) {
    throw new TypeError('backward: the gradient is given twice, as an argument and as options.gradient: pass it once');
  }
  gradient ??= opts?.gradient;
  const retainGraph = opts?.retainGraph ?? false;
  if (!root.requiresGrad) {
    throw new Error('backward: element 0 of tensors does not require grad and does not have a grad_fn');
  }
  if (gradient !== undefined && !shapesEqual(gradient.shape, root.shape)) {
    throw new Error(`backward: gradient has shape ${formatShape(gradient.shape)} but the output has shape ${formatShape(root.shape)}`);
  }
  if (gradient === undefined && root.numel !== 1) {
    throw new Error(`backward: grad can be implicitly created only for scalar outputs (got shape ${formatShape(root.shape)})`);
  }
  const scope = openScope();
  const intermediates: Storage[] = [];
  try {
    noGrad(() => {
      const grads = new Map<Tensor, Tensor>([[root, gradient ?? onesLike(root)]]);
      const order = topologicalOrder(root);
      for (let i = order.length - 1; i >= 0; i--) {
        const t = order[i]!;
        const g = grads.get(t);
        if (!g) continue;
        grads.delete(t);
        const node = t.gradFn;
        if (!node) {
          accumulateLeaf(t, g);
          continue;
        }
        checkNode(node, t);
        const into = gradDestinations(node, grads);
        const inputGrads = into === null ? node.backward(g) : node.backward(g, into);
        if (!retainGraph) {
          node.freed = true;
          if (node.releasesAfterBackward) intermediates.push(...node.releasesAfterBackward);
          node.releasesAfterBackward = undefined;
        }
        for (let k = 0; k < node.inputs.length; k++) {
          const input = node.inputs[k]!;
          const gi = inputGrads[k];
          if (!gi || !input.requiresGrad || !isFloating(input.dtype)) continue;
          const prev = grads.get(input);
          grads.set(input, prev ? (prev.isSparse || gi.isSparse ? accumulateSparse(prev, gi) : add(prev, gi)) : gi);
        }
      }
    });
    // Only now: nodes processed after the one that listed them read them.
    for (const storage of intermediates) storage.dispose('intermediate');
  } finally {
    closeScope(scope);
  }
}
