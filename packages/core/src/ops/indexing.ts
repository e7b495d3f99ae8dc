import { formatValue } from '../util/format-value.js';
import { record } from '../autograd/record.js';
import { stridedLoop3 } from '../kernels/js/strided.js';
import { contiguousStrides, formatShape, normalizeDim, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Throws unless `index` is an int32 tensor. */
export function checkIndexTensor(index: Tensor, op: string): void {
  if (index.dtype !== 'int32') throw new TypeError(`${op}: expected an int32 index tensor, got ${index.dtype}`);
}

/** The index values in row-major order, each checked against `size` (no negative indices). */
function readIndices(index: Tensor, size: number, op: string, dim: number): Int32Array {
  const values = index.toArray() as Int32Array;
  for (const v of values) {
    if (v < 0 || v >= size) throw new RangeError(`${op}: index ${v} is out of bounds for dimension ${dim} with size ${size}`);
  }
  return values;
}

/** A zero-filled contiguous tensor. */
function zerosOf(shape: Shape, like: Pick<Tensor, 'dtype'>): Tensor {
  const t = Tensor.empty(shape, like.dtype);
  t.data().fill(0);
  return t;
}

/**
 * Picks values along `dim` by `index` (same ndim as input): out[i][j] = input[index[i][j]][j] for dim 0, as `torch.gather`.
 * @param input - the tensor read; it gets the gradient, scattered back (summed at repeats)
 * @param dim - the dim indexed; negative counts from the end
 * @param index - int32 positions in [0, input.shape[dim]) (no negative indices), with as many
 *   dims as `input` and no dim larger than `input`'s apart from `dim`; the output has its shape
 */
export function gather(input: Tensor, dim: number, index: Tensor): Tensor {
  checkIndexTensor(index, 'gather');
  const d = normalizeDim(dim, input.ndim, 'gather');
  if (index.ndim !== input.ndim || index.shape.some((s, k) => k !== d && s > input.shape[k]!)) {
    throw new RangeError(
      `gather: expected index ${formatShape(index.shape)} to have as many dims as input ${formatShape(input.shape)} and to be no larger apart from dimension ${d}`,
    );
  }
  const idx = readIndices(index, input.shape[d]!, 'gather', d);
  const out = Tensor.empty(index.shape, input.dtype);
  const src = input.storage.array();
  const dst = out.data();
  // Walk the index shape with the input's strides except along `dim`, where the index decides.
  const walk = [...input.strides];
  walk[d] = 0;
  const step = input.strides[d]!;
  let i = 0;
  stridedLoop3(index.shape, input.offset, walk, 0, walk, 0, walk, (base) => {
    dst[i] = src[base + idx[i]! * step]!;
    i++;
  });
  return record('gather', out, [input, index], (g) => {
    const grad = zerosOf(input.shape, input);
    const gd = grad.data();
    const gs = g.storage.array();
    const gradWalk = contiguousStrides(input.shape);
    const gradStep = gradWalk[d]!;
    gradWalk[d] = 0;
    let k = 0;
    stridedLoop3(index.shape, 0, gradWalk, g.offset, g.strides, 0, gradWalk, (base, from) => {
      const at = base + idx[k++]! * gradStep;
      gd[at] = gd[at]! + gs[from]!;
    });
    return [grad, null];
  });
}

/**
 * Selects the entries `index` (1-D) of dimension `dim`, as `torch.index_select`.
 * @param input - the tensor read, at least 1-D; it gets the gradient (summed at repeats)
 * @param dim - the dim indexed; negative counts from the end
 * @param index - a 0-D or 1-D int32 tensor of positions in [0, input.shape[dim]) (no negative
 *   indices, repeats allowed); the output's `dim` has its length
 */
export function indexSelect(input: Tensor, dim: number, index: Tensor): Tensor {
  checkIndexTensor(index, 'indexSelect');
  if (index.ndim > 1) throw new RangeError(`indexSelect: index must be 0-D or 1-D, got shape ${formatShape(index.shape)}`);
  if (input.ndim === 0) throw new RangeError('indexSelect: input must have at least one dimension');
  const d = normalizeDim(dim, input.ndim, 'indexSelect');
  const idx = readIndices(index, input.shape[d]!, 'indexSelect', d);
  const shape = [...input.shape];
  shape[d] = idx.length;
  const out = Tensor.empty(shape, input.dtype);
  const src = input.storage.array();
  const dst = out.data();
  // One slab (the input with dim d of size 1) per selected entry.
  const slab = [...input.shape];
  slab[d] = 1;
  idx.forEach((v, k) => {
    const srcOff = input.offset + v * input.strides[d]!;
    stridedLoop3(slab, srcOff, input.strides, k * out.strides[d]!, out.strides, 0, out.strides, (from, to) => {
      dst[to] = src[from]!;
    });
  });
  return record('indexSelect', out, [input, index], (g) => {
    const grad = zerosOf(input.shape, input);
    const gd = grad.data();
    const gs = g.storage.array();
    idx.forEach((v, k) => {
      stridedLoop3(slab, g.offset + k * g.strides[d]!, g.strides, v * grad.strides[d]!, grad.strides, 0, grad.strides, (from, to) => {
        gd[to] = gd[to]! + gs[from]!;
      });
    });
    return [grad, null];
  });
}

/**
 * One-hot rows of int32 class indices: shape [...indices.shape, numClasses], 1 at each index and
 * 0 elsewhere, as `torch.nn.functional.one_hot` (int32 where PyTorch gives int64). `numClasses`
 * defaults to the largest index + 1.
 * @param indices - an int32 tensor of non-negative class indices, any shape
 * @param numClasses - the length of the new last dim, above every index; -1 (the default)
 *   takes the largest index + 1
 */
export function oneHot(indices: Tensor, numClasses = -1): Tensor {
  checkIndexTensor(indices, 'oneHot');
  const values = indices.toArray() as Int32Array;
  let largest = -1;
  for (const v of values) {
    if (v < 0) throw new RangeError(`oneHot: class values must be non-negative, got ${v}`);
    if (v > largest) largest = v;
  }
  const classes = numClasses === -1 ? largest + 1 : numClasses;
  if (!Number.isInteger(classes) || classes < 0)
    throw new RangeError(`oneHot: numClasses must be a non-negative integer or -1, got ${formatValue(numClasses)}`);
  if (largest >= classes) throw new RangeError(`oneHot: class value ${largest} is too large for numClasses ${classes}`);
  const out = zerosOf([...indices.shape, classes], { dtype: 'int32' });
  const dst = out.data();
  values.forEach((v, i) => (dst[i * classes + v] = 1));
  return out;
}
