import { record } from '../autograd/record.js';
import { stridedLoop3 } from '../kernels/js/strided.js';
import { formatShape, normalizeDim, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { narrow, unsqueeze } from './views.js';

/**
 * Concatenates tensors of equal shape except along `dim`, as `torch.cat`.
 * @param tensors - at least one tensor, all of one dtype and rank (≥ 1), equal in every dim but `dim`.
 * @param dim - the dim to join along (default 0; negative counts from the end).
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  const first = tensors[0];
  if (first === undefined) throw new RangeError('cat: expected a non-empty list of tensors');
  if (first.ndim === 0) throw new RangeError('cat: zero-dimensional tensor (at position 0) cannot be concatenated');
  const d = normalizeDim(dim, first.ndim, 'cat');
  let total = 0;
  tensors.forEach((t, i) => {
    if (t.dtype !== first.dtype) {
      throw new TypeError(`cat: expected all tensors to have dtype ${first.dtype}, but tensor ${i} has ${t.dtype}`);
    }
    const sameRest = t.ndim === first.ndim && t.shape.every((s, k) => k === d || s === first.shape[k]);
    if (!sameRest) {
      throw new RangeError(
        `cat: sizes of tensors must match except in dimension ${d}: tensor 0 has shape ${formatShape(first.shape)} but tensor ${i} has shape ${formatShape(t.shape)}`,
      );
    }
    total += t.shape[d]!;
  });
  const shape = [...first.shape];
  shape[d] = total;
  const out = Tensor.empty(shape, first.dtype);
  let start = 0;
  for (const t of tensors) {
    const src = t.storage.array();
    // Fetched after src, each turn: bringing src back may run a reclaiming pass (see Residency).
    const dst = out.storage.array();
    // Copy t into its window of the output: the output's strides from the window's first element.
    stridedLoop3(t.shape, t.offset, t.strides, start * out.strides[d]!, out.strides, 0, out.strides, (from, to) => {
      dst[to] = src[from]!;
    });
    start += t.shape[d]!;
  }
  return record('cat', out, tensors, (g) => {
    let at = 0;
    return tensors.map((t) => {
      const size = t.shape[d]!;
      at += size;
      return t.requiresGrad ? narrow(g, d, at - size, size) : null;
    });
  });
}

/**
 * Joins tensors of one shape along a new dimension `dim`, as `torch.stack`.
 * @param tensors - at least one tensor, all of the same shape and dtype
 * @param dim - the position of the new dim in the result (default 0), in [-(ndim+1), ndim];
 *   negative counts from the end
 */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  const first = tensors[0];
  if (first === undefined) throw new RangeError('stack: expected a non-empty list of tensors');
  tensors.forEach((t, i) => {
    if (!shapesEqual(t.shape, first.shape)) {
      throw new RangeError(
        `stack: expects each tensor to be equal size, but got ${formatShape(first.shape)} at entry 0 and ${formatShape(t.shape)} at entry ${i}`,
      );
    }
  });
  const d = normalizeDim(dim, first.ndim + 1, 'stack');
  return cat(
    tensors.map((t) => unsqueeze(t, d)),
    d,
  );
}
