import { formatValue } from '../util/format-value.js';
import { fillData } from './fill.js';
import { record, recording } from '../autograd/record.js';
import { contiguousStrides, formatShape, normalizeDim, numel, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { contiguous } from './copy.js';
import { sumTo } from './reduce.js';

function inferSize(shape: Shape, n: number, op: string): number[] {
  const out = shape.slice();
  const neg = out.indexOf(-1);
  if (neg < 0) {
    // The common case (every size given), checked without callbacks: reshapes run every step.
    let count = 1;
    for (let i = 0; i < out.length; i++) {
      const d = out[i]!;
      if (!Number.isInteger(d) || d < 0) count = -1;
      if (count >= 0) count *= d;
    }
    if (count !== n) throw new RangeError(`${op}: shape ${formatShape(shape)} is invalid for input of size ${n}`);
    return out;
  }
  if (neg !== out.lastIndexOf(-1)) throw new RangeError(`${op}: only one dimension can be inferred`);
  const rest = numel(out.filter((_, i) => i !== neg));
  if (rest === 0 || n % rest !== 0) throw new RangeError(`${op}: shape ${formatShape(shape)} is invalid for input of size ${n}`);
  out[neg] = n / rest;
  if (out.some((d) => !Number.isInteger(d) || d < 0) || numel(out) !== n) {
    throw new RangeError(`${op}: shape ${formatShape(shape)} is invalid for input of size ${n}`);
  }
  return out;
}

/**
 * A view with another shape; the tensor must be contiguous (see `reshape`).
 * @param t - the tensor to view; a non-contiguous one throws
 * @param shape - the new sizes, with as many elements in all as `t`; one entry may be -1,
 *   inferred from the others
 */
export function view(t: Tensor, shape: Shape): Tensor {
  const target = inferSize(shape, t.numel, 'view');
  if (!t.isContiguous()) {
    throw new Error(`view: tensor of shape ${formatShape(t.shape)} is not contiguous; use reshape()`);
  }
  const out = new Tensor(t.storage, target, contiguousStrides(target), t.offset);
  if (!recording(t)) return out;
  return record('view', out, [t], (g) => [reshape(g, t.shape)]);
}

/**
 * Another shape with the same elements: a view when possible, else a contiguous copy.
 * @param t - the tensor to reshape, of any layout
 * @param shape - the new sizes, with as many elements in all as `t`; one entry may be -1,
 *   inferred from the others
 */
export function reshape(t: Tensor, shape: Shape): Tensor {
  return view(contiguous(t), inferSize(shape, t.numel, 'reshape'));
}

/**
 * Flattens dims startDim..endDim into one, as `torch.flatten` (a 0-d tensor becomes shape [1]).
 * @param t - the tensor to flatten
 * @param startDim - the first dim merged (default 0); negative counts from the end
 * @param endDim - the last dim merged, included (default -1, the last dim)
 */
export function flatten(t: Tensor, startDim = 0, endDim = -1): Tensor {
  if (t.ndim === 0) return reshape(t, [1]);
  const s = normalizeDim(startDim, t.ndim, 'flatten');
  const e = normalizeDim(endDim, t.ndim, 'flatten');
  const shape = [...t.shape.slice(0, s), numel(t.shape.slice(s, e + 1)), ...t.shape.slice(e + 1)];
  return reshape(t, shape);
}

/**
 * Reorders the dimensions; a view.
 * @param t - the tensor to permute
 * @param dims - output dim i is input dim `dims[i]`: a permutation of 0..ndim-1, one entry per
 *   dim of `t` (negative entries count from the end)
 */
export function permute(t: Tensor, dims: readonly number[]): Tensor {
  const n = t.ndim;
  if (dims.length !== n) {
    throw new RangeError(`permute: number of dims ${dims.length} doesn't match tensor dims ${n}`);
  }
  // Plain loops, no Set or callbacks: matmul's backward permutes on every step of a training loop.
  const shape = new Array<number>(n);
  const strides = new Array<number>(n);
  const inverse = new Array<number>(n).fill(-1);
  // Every dim is range-checked before any repeat is looked for (the errors' order).
  for (let i = 0; i < n; i++) shape[i] = normalizeDim(dims[i]!, n, 'permute');
  for (let i = 0; i < n; i++) {
    const d = shape[i]!;
    if (inverse[d] !== -1) throw new RangeError(`permute: repeated dim in [${dims.join(',')}]`);
    inverse[d] = i;
    shape[i] = t.shape[d]!;
    strides[i] = t.strides[d]!;
  }
  const out = new Tensor(t.storage, shape, strides, t.offset);
  if (!recording(t)) return out;
  return record('permute', out, [t], (g) => [permute(g, inverse)]);
}

/**
 * Swaps two dimensions; a view (`t` itself when it has fewer than 2 dims).
 * @param t - the tensor to transpose
 * @param dim0 - the first dim swapped; negative counts from the end
 * @param dim1 - the second dim swapped; negative counts from the end
 */
export function transpose(t: Tensor, dim0: number, dim1: number): Tensor {
  const a = normalizeDim(dim0, t.ndim, 'transpose');
  const b = normalizeDim(dim1, t.ndim, 'transpose');
  if (t.ndim < 2) return t;
  const order = new Array<number>(t.ndim);
  for (let i = 0; i < t.ndim; i++) order[i] = i === a ? b : i === b ? a : i;
  return permute(t, order);
}

/**
 * Removes one size-1 dimension, or all of them; a view.
 * @param t - the tensor to squeeze
 * @param dim - the dim to remove when its size is 1 (another size leaves `t`'s shape as it is);
 *   omitted: every size-1 dim is removed
 */
export function squeeze(t: Tensor, dim?: number): Tensor {
  let keep: number[];
  if (dim === undefined) keep = t.shape.map((_, i) => i).filter((i) => t.shape[i] !== 1);
  else {
    const d = normalizeDim(dim, t.ndim, 'squeeze');
    keep = t.shape.map((_, i) => i).filter((i) => i !== d || t.shape[i] !== 1);
  }
  const out = new Tensor(
    t.storage,
    keep.map((i) => t.shape[i]!),
    keep.map((i) => t.strides[i]!),
    t.offset,
  );
  return record('squeeze', out, [t], (g) => [reshape(g, t.shape)]);
}

/**
 * Inserts a size-1 dimension at `dim`; a view.
 * @param t - the tensor to unsqueeze
 * @param dim - the position of the new dim in the result, in [-(ndim+1), ndim]; negative
 *   counts from the end (-1 appends a last dim)
 */
export function unsqueeze(t: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, t.ndim + 1, 'unsqueeze');
  const shape = [...t.shape];
  const strides = [...t.strides];
  shape.splice(d, 0, 1);
  strides.splice(d, 0, d < t.ndim ? t.strides[d]! * t.shape[d]! : 1);
  const out = new Tensor(t.storage, shape, strides, t.offset);
  return record('unsqueeze', out, [t], (g) => [reshape(g, t.shape)]);
}

/**
 * Broadcasts size-1 dims to `shape` (-1 keeps a size) without copying.
 * @param t - the tensor to expand; its gradient is the output's summed back to `t`'s shape
 * @param shape - the target sizes, at least `t.ndim` of them, aligned from the last dim; new
 *   leading dims are added, a size of -1 keeps `t`'s, and only size-1 dims may change
 */
export function expand(t: Tensor, shape: Shape): Tensor {
  if (shape.length < t.ndim) {
    throw new RangeError(`expand: the number of sizes (${shape.length}) must be at least the tensor's dims (${t.ndim})`);
  }
  const lead = shape.length - t.ndim;
  const outShape: number[] = [];
  const strides: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    const want = shape[i]!;
    if (!Number.isInteger(want) || want < -1) {
      throw new RangeError(`expand: sizes must be integers ≥ 0, or -1 to keep a dim, got ${formatShape(shape)}`);
    }
    const have = i >= lead ? t.shape[i - lead]! : 1;
    const size = want === -1 ? have : want;
    if (have !== size && have !== 1) {
      throw new RangeError(`expand: cannot expand shape ${formatShape(t.shape)} to ${formatShape(shape)}`);
    }
    outShape.push(size);
    strides.push(i < lead || (have === 1 && size !== 1) ? 0 : t.strides[i - lead]!);
  }
  const out = new Tensor(t.storage, outShape, strides, t.offset);
  return record('expand', out, [t], (g) => [sumTo(g, t.shape)]);
}

/**
 * The slice start..start+length of one dimension; a view.
 * @param t - the tensor to slice
 * @param dim - the dim sliced; negative counts from the end
 * @param start - the first index kept; negative counts from the end of the dim
 * @param length - the number of indices kept, a non-negative integer; the slice must fit in the dim
 */
export function narrow(t: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim(dim, t.ndim, 'narrow');
  const size = t.shape[d]!;
  const s = start < 0 ? start + size : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > size) {
    throw new RangeError(`narrow: start ${formatValue(start)} and length ${formatValue(length)} exceed dimension ${d} of size ${size}`);
  }
  const shape = [...t.shape];
  shape[d] = length;
  const out = new Tensor(t.storage, shape, t.strides, t.offset + s * t.strides[d]!);
  return record('narrow', out, [t], (g) => [narrowBackward(g, t.shape, d, s)]);
}

/**
 * The slice at `index` of dimension `dim`, with that dimension removed: a view, as
 * `torch.select(t, dim, index)` (`t[:, index]` for dim 1). Negative indices count from the end.
 * @param t - the tensor to index, at least 1-D
 * @param dim - the dim indexed and removed; negative counts from the end
 * @param index - the position in `dim`, an integer in [-size, size)
 */
export function select(t: Tensor, dim: number, index: number): Tensor {
  if (t.ndim === 0) throw new RangeError('select: cannot select from a 0-d tensor');
  const d = normalizeDim(dim, t.ndim, 'select');
  const size = t.shape[d]!;
  const i = index < 0 ? index + size : index;
  if (!Number.isInteger(index) || i < 0 || i >= size) {
    throw new RangeError(`select: index ${formatValue(index)} is out of range for dimension ${d} with size ${size}`);
  }
  const keep = (_: number, k: number): boolean => k !== d;
  const out = new Tensor(t.storage, t.shape.filter(keep), t.strides.filter(keep), t.offset + i * t.strides[d]!);
  return record('select', out, [t], (g) => [narrowBackward(unsqueeze(g, d), t.shape, d, i)]);
}

/**
 * Integer indexing from the first dimension: `t.get(i)` is PyTorch's `t[i]`, `t.get(i, j)` is
 * `t[i, j]` — a view with those dimensions removed (a 0-d tensor once every dim is indexed; read
 * it with `item()`).
 * Internal: the implementation of `Tensor.get`.
 * @internal
 */
export function getIndex(t: Tensor, indices: readonly number[]): Tensor {
  if (indices.length > t.ndim) {
    throw new RangeError(`get: too many indices (${indices.length}) for a tensor of ${t.ndim} dimensions (shape ${formatShape(t.shape)})`);
  }
  return indices.reduce((view, i) => select(view, 0, i), t);
}

function narrowBackward(g: Tensor, shape: Shape, dim: number, start: number): Tensor {
  const out = Tensor.empty(shape, g.dtype);
  fillData(out.data(), g.dtype, 0);
  const target = new Tensor(out.storage, g.shape, out.strides, start * out.strides[dim]!);
  const src = contiguous(g).data();
  const dst = out.storage.array();
  // Walk the narrowed window of the zero-filled gradient and copy g into it.
  let i = 0;
  const idx = new Array<number>(g.ndim).fill(0);
  const n = g.numel;
  let off = target.offset;
  for (let k = 0; k < n; k++) {
    dst[off] = src[i++]!;
    for (let d = g.ndim - 1; d >= 0; d--) {
      idx[d]!++;
      off += target.strides[d]!;
      if (idx[d]! < g.shape[d]!) break;
      off -= target.strides[d]! * g.shape[d]!;
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * Transpose of a tensor of at most 2 dims, as `torch.t`.
 * @param x - a 0-, 1- or 2-D tensor (0- and 1-D are returned as they are); more dims throw
 */
export function t(x: Tensor): Tensor {
  if (x.ndim > 2) throw new RangeError(`t: expects a tensor with <= 2 dimensions, but it has ${x.ndim}`);
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}
