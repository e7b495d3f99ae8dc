import { record, recording } from '../autograd/record.js';
import { fillData } from './fill.js';
import { isFloating } from '../dtype.js';
import { sumAxisKernel } from '../kernels/definitions.js';
import { stridedLoop3 } from '../kernels/js/strided.js';
import { formatShape, normalizeDim, shapesEqual, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { formatValue } from '../util/format-value.js';
import { mul } from './binary.js';
import { denseCopy } from './dense-copy.js';
import { expand, reshape } from './views.js';

/**
 * Normalised, sorted, de-duplicated reduction dims; all dims when `dim` is undefined or an empty
 * list, as PyTorch's `dim=[]` reduces every dim (`torch.sum(x, dim=[]) == x.sum()`).
 * Internal: a helper of reductions, not an op.
 * @internal
 */
export function reductionDims(t: Tensor, dim: number | readonly number[] | null | undefined, op: string): number[] {
  // null is PyTorch's dim=None: every dim.
  if (dim === undefined || dim === null || (Array.isArray(dim) && dim.length === 0)) return t.shape.map((_, i) => i);
  if (typeof dim === 'number') return [normalizeDim(dim, t.ndim, op)];
  if (!Array.isArray(dim)) throw new TypeError(`${op}: dim must be an integer, a list of them or null, got ${formatValue(dim)}`);
  // Insertion into a sorted list without repeats, in plain loops: bias gradients reduce every step.
  const dims: number[] = [];
  for (let k = 0; k < dim.length; k++) {
    const d = normalizeDim(dim[k]!, t.ndim, op);
    let i = dims.length;
    while (i > 0 && dims[i - 1]! > d) i--;
    if (i > 0 && dims[i - 1] === d) continue;
    dims.splice(i, 0, d);
  }
  return dims;
}

/**
 * The shape after reducing `dims`, with or without the reduced dims kept as 1.
 * Internal: a helper of reductions, not an op.
 * @internal
 */
export function reducedShape(shape: Shape, dims: readonly number[], keepdim: boolean): number[] {
  // An options object ({ keepdim: false }) would be truthy and keep the dims: reductions take it positionally.
  if (typeof keepdim !== 'boolean') {
    throw new TypeError(`keepdim must be true or false, got ${formatValue(keepdim)}: reductions take it positionally, x.sum(dim, true)`);
  }
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (!dims.includes(i)) out.push(shape[i]!);
    else if (keepdim) out.push(1);
  }
  return out;
}

/** The number of elements of dims [from, to) of `shape`. */
function sizeOf(shape: Shape, from: number, to: number): number {
  let n = 1;
  for (let i = from; i < to; i++) n *= shape[i]!;
  return n;
}

/** Sums `t` over `dims` into a new contiguous tensor (no autograd). */
function sumKernel(t: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  const outDtype = t.dtype === 'bool' ? 'int32' : t.dtype;
  const out = Tensor.emptyOwning(reducedShape(t.shape, dims, keepdim), outDtype);
  const dst = out.data();
  fillData(dst, outDtype, 0);
  const src = t.storage.array();
  const first = dims[0];
  const last = dims[dims.length - 1];
  if (first !== undefined && last !== undefined && last - first === dims.length - 1) {
    // Consecutive dims: a sum over the middle of [outer, r, inner]. A strided view (a permuted
    // gradient) is copied dense first: one strided copy beats a strided loop of adds.
    const x = denseCopy(t);
    sumAxisKernel.select(x.dtype)(
      sizeOf(x.shape, 0, first),
      sizeOf(x.shape, first, last + 1),
      sizeOf(x.shape, last + 1, x.ndim),
      x.storage.array(),
      x.offset,
      dst,
      0,
    );
    return out;
  }
  // Output strides with 0 on reduced dims: every input element adds into its output slot.
  const kept = reducedShape(t.shape, dims, true);
  const outStrides = new Array<number>(t.ndim);
  let s = 1;
  for (let d = t.ndim - 1; d >= 0; d--) {
    outStrides[d] = dims.includes(d) ? 0 : s;
    s *= kept[d]!;
  }
  stridedLoop3(t.shape, t.offset, t.strides, 0, outStrides, 0, outStrides, (ia, io) => {
    dst[io] = dst[io]! + src[ia]!;
  });
  return out;
}

/**
 * Sum over `dim` (one, several or all dims), as `torch.sum`; bool sums count into int32.
 * @param t - the tensor summed, any dtype
 * @param dim - the dim reduced or a list of dims (negative counts from the end; repeats count
 *   once); omitted or `[]`: every dim, giving a 0-d tensor (as PyTorch's `dim=[]`)
 * @param keepdim - keep each reduced dim with size 1 (default false: they are removed)
 */
export function sum(t: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  const dims = reductionDims(t, dim, 'sum');
  const out = sumKernel(t, dims, keepdim);
  if (!recording(t)) return out;
  return record('sum', out, [t], (g) => [expand(reshape(g, reducedShape(t.shape, dims, true)), t.shape)]);
}

/**
 * Mean over `dim`, as `torch.mean`.
 * @param t - the tensor averaged, float32 or float64 (integer dtypes throw)
 * @param dim - the dim reduced or a list of dims (negative counts from the end; repeats count
 *   once); omitted or `[]`: every dim, giving a 0-d tensor (as PyTorch's `dim=[]`)
 * @param keepdim - keep each reduced dim with size 1 (default false: they are removed)
 */
export function mean(t: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  if (!isFloating(t.dtype)) throw new TypeError(`mean: input dtype must be floating point, got ${t.dtype}`);
  const dims = reductionDims(t, dim, 'mean');
  const count = dims.reduce((n, d) => n * t.shape[d]!, 1);
  return mul(sum(t, dims, keepdim), 1 / count);
}

/**
 * Sums a broadcast gradient back to `shape`: the backward of broadcasting. Differentiable.
 * @param t - the gradient in the broadcast shape
 * @param shape - the shape that was broadcast to `t`'s (aligned from the last dim, each size
 *   equal to `t`'s or 1; any other shape throws a RangeError naming both); `t` itself is
 *   returned when the shapes are equal
 */
export function sumTo(t: Tensor, shape: Shape): Tensor {
  if (shapesEqual(t.shape, shape)) return t;
  const lead = t.ndim - shape.length;
  let broadcastsTo = lead >= 0;
  for (let i = 0; broadcastsTo && i < shape.length; i++) broadcastsTo = shape[i] === 1 || shape[i] === t.shape[i + lead];
  if (!broadcastsTo) {
    throw new RangeError(
      `sumTo: shape ${formatShape(shape)} does not broadcast to ${formatShape(t.shape)} (aligned from the last dim, each size must equal it or be 1), so ${formatShape(t.shape)} cannot be summed to it`,
    );
  }
  const dims: number[] = [];
  for (let i = 0; i < t.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && t.shape[i] !== 1)) dims.push(i);
  }
  return reshape(sum(t, dims, true), shape);
}
