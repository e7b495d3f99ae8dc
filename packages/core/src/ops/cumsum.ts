import { record } from '../autograd/record.js';
import { normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { fromRows, toRows } from './elementwise-internal.js';

/**
 * Running sums along `dim` from the front (or, `reverse`, from the back), accumulated in double
 * precision as PyTorch's CPU kernel does. The backward of one direction is the other.
 */
function scan(x: Tensor, d: number, reverse: boolean): Tensor {
  const layout = toRows(x, x.ndim === 0 ? [] : [d]);
  const src = layout.t.storage.array();
  const base = layout.t.offset;
  const { rows, n } = layout;
  const out = Tensor.empty(layout.t.shape, x.dtype === 'bool' ? 'int32' : x.dtype);
  const dst = out.storage.array();
  for (let r = 0; r < rows; r++) {
    let acc = 0;
    for (let k = 0; k < n; k++) {
      const i = r * n + (reverse ? n - 1 - k : k);
      acc += src[base + i]!;
      dst[i] = acc;
    }
  }
  return record('cumsum', fromRows(out, layout.perm), [x], (g) => [scan(g, d, !reverse)]);
}

/**
 * The cumulative sum along `dim`: out[i] = x[0] + … + x[i], as `torch.cumsum`. Integer and bool
 * inputs give int32 (PyTorch gives int64, which Loom does not have).
 * @param x - any shape and dtype.
 * @param dim - the dim to accumulate along (negative counts from the end).
 */
export function cumsum(x: Tensor, dim: number): Tensor {
  const d = x.ndim === 0 ? 0 : normalizeDim(dim, x.ndim, 'cumsum');
  return scan(x, d, false);
}
