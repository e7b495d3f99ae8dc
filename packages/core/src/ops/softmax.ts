import { record } from '../autograd/record.js';
import { isFloating } from '../dtype.js';
import { logsumexpRowsKernel, softmaxRowsBackwardKernel, softmaxRowsKernel } from '../kernels/definitions.js';
import { normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { mul, sub } from './binary.js';
import { detach, to } from './copy.js';
import { fromRows, toRows } from './elementwise-internal.js';
import { reducedShape, reductionDims } from './reduce.js';
import { exp } from './unary.js';
import { reshape } from './views.js';

function softmaxImpl(x: Tensor, dim: number, log: boolean, name: string): Tensor {
  if (!isFloating(x.dtype)) throw new TypeError(`${name}: input dtype must be floating point, got ${x.dtype}`);
  const dims = x.ndim === 0 ? [] : [normalizeDim(dim, x.ndim, name)];
  if (x.ndim === 0) normalizeDim(dim, 0, name);
  const layout = toRows(x, dims);
  const { rows, n } = layout;
  // The output in row layout, kept for the backward.
  const y = Tensor.empty(layout.t.shape, x.dtype);
  softmaxRowsKernel.select(x.dtype)(rows, n, layout.t.storage.array(), layout.t.offset, y.storage.array(), 0, log);
  const out = fromRows(y, layout.perm);
  return record(name, out, [x], (g) => {
    const gRows = toRows(to(g, x.dtype), dims).t;
    const gi = Tensor.empty(y.shape, x.dtype);
    softmaxRowsBackwardKernel.select(x.dtype)(
      rows,
      n,
      y.storage.array(),
      0,
      gRows.storage.array(),
      gRows.offset,
      gi.storage.array(),
      0,
      log,
    );
    return [fromRows(gi, layout.perm)];
  });
}

/**
 * e^x / Σ e^x along `dim` (any dim, any strides), computed with the row max subtracted so that
 * large inputs cannot overflow. The result is contiguous.
 * @param x - the input, float32 or float64 (integer dtypes throw), any shape
 * @param dim - the dim along which the result sums to 1; negative counts from the end
 */
export function softmax(x: Tensor, dim: number): Tensor {
  return softmaxImpl(x, dim, false, 'softmax');
}

/**
 * log(softmax(x)) along `dim`, computed as x − max − log Σ e^(x − max).
 * @param x - the input, float32 or float64 (integer dtypes throw), any shape
 * @param dim - the dim normalised over; negative counts from the end
 */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  return softmaxImpl(x, dim, true, 'logSoftmax');
}

/**
 * log Σ e^x over `dim` (one dim or several), stably: shifted by the max, and a row of −∞
 * gives −∞ (a row holding +∞ gives +∞) as in PyTorch. Integer inputs compute in float32.
 * @param x - the input, any shape
 * @param dim - the dim reduced, or a list of dims (negative counts from the end; repeats count
 *   once; `[]` reduces every dim)
 * @param keepdim - keep each reduced dim with size 1 (default false: they are removed)
 */
export function logsumexp(x: Tensor, dim: number | readonly number[], keepdim = false): Tensor {
  const src = isFloating(x.dtype) ? x : to(x, 'float32');
  const dims = reductionDims(src, dim, 'logsumexp');
  const layout = toRows(src, src.ndim === 0 ? [] : dims);
  const out = Tensor.empty(reducedShape(src.shape, dims, keepdim), src.dtype);
  logsumexpRowsKernel.select(src.dtype)(layout.rows, layout.n, layout.t.storage.array(), layout.t.offset, out.storage.array(), 0);
  return record('logsumexp', out, [src], (g) => {
    // g · e^(x − logsumexp(x)), broadcast over the reduced dims.
    const kept = reducedShape(src.shape, dims, true);
    return [mul(reshape(g, kept), exp(sub(detach(src), reshape(out, kept))))];
  });
}
