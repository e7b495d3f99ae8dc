import { record } from '../autograd/record.js';
import { formatShape } from '../tensor/shape.js';
import { RowSparseTensor } from '../tensor/row-sparse.js';
import { Tensor } from '../tensor/tensor.js';
import { contiguous } from './copy.js';
import { checkIndexTensor } from './indexing.js';
import { checkOptions, optionKeys } from '../util/options.js';

/** Options of `embedding`, as `torch.nn.functional.embedding`. */
export interface EmbeddingOptions {
  /** Rows looked up at this index get no gradient (negative counts from the end). */
  paddingIdx?: number;
  /** Return the weight gradient as a `RowSparseTensor` instead of a dense tensor. */
  sparse?: boolean;
}

/** Every option of `embedding`. */
export const EMBEDDING_OPTIONS = optionKeys<EmbeddingOptions>({ paddingIdx: true, sparse: true });

/**
 * Looks up rows of `weight` [num, dim] by int32 `indices` of any shape; the output has shape
 * [...indices.shape, dim], as `torch.nn.functional.embedding`.
 * @param indices - an int32 tensor of row numbers in [0, num) (negative values throw), any shape
 * @param weight - the embedding table [num, dim]; its gradient accumulates the output gradient's
 *   rows at the rows looked up
 * @param options - `paddingIdx` and `sparse`, see {@link EmbeddingOptions}; unknown keys throw
 */
export function embedding(indices: Tensor, weight: Tensor, options: EmbeddingOptions = {}): Tensor {
  checkOptions('embedding', options, EMBEDDING_OPTIONS);
  checkIndexTensor(indices, 'embedding');
  if (weight.ndim !== 2)
    throw new RangeError(`embedding: weight must be 2-D [num_embeddings, embedding_dim], got ${formatShape(weight.shape)}`);
  const [num, dim] = weight.shape as [number, number];
  const padding = normalizePaddingIdx(options.paddingIdx, num);
  const ids = indices.toArray() as Int32Array;
  for (const v of ids) {
    if (v < 0 || v >= num) {
      throw new RangeError(`embedding: index ${v} is out of range for ${num} embeddings (weight ${formatShape(weight.shape)})`);
    }
  }
  const out = Tensor.empty([...indices.shape, dim], weight.dtype);
  const src = weight.storage.array();
  const dst = out.data();
  const [rowStride, colStride] = weight.strides as [number, number];
  ids.forEach((v, k) => {
    const from = weight.offset + v * rowStride;
    for (let j = 0; j < dim; j++) dst[k * dim + j] = src[from + j * colStride]!;
  });
  return record('embedding', out, [indices, weight], (g) => {
    const gc = contiguous(g).data();
    return [null, options.sparse ? sparseGrad(ids, gc, weight, padding) : denseGrad(ids, gc, weight, padding)];
  });
}

function normalizePaddingIdx(paddingIdx: number | undefined, num: number): number {
  if (paddingIdx === undefined) return -1;
  if (!Number.isInteger(paddingIdx) || paddingIdx < -num || paddingIdx >= num) {
    throw new RangeError(`embedding: paddingIdx ${paddingIdx} must be within the ${num} embeddings`);
  }
  return paddingIdx < 0 ? paddingIdx + num : paddingIdx;
}

/** Row `ids[k]` of the gradient accumulates gradient row k, except at the padding index. */
function denseGrad(ids: Int32Array, g: ArrayLike<number>, weight: Tensor, padding: number): Tensor {
  const grad = Tensor.empty(weight.shape, weight.dtype);
  const out = grad.data();
  out.fill(0);
  const dim = weight.shape[1]!;
  ids.forEach((v, k) => {
    if (v === padding) return;
    for (let j = 0; j < dim; j++) out[v * dim + j] = out[v * dim + j]! + g[k * dim + j]!;
  });
  return grad;
}

/** One row per lookup, duplicates kept and padding lookups dropped, as PyTorch's sparse gradient. */
function sparseGrad(ids: Int32Array, g: ArrayLike<number>, weight: Tensor, padding: number): RowSparseTensor {
  const dim = weight.shape[1]!;
  const kept = ids.filter((v) => v !== padding);
  const values = Tensor.empty([kept.length, dim], weight.dtype);
  const out = values.data();
  let row = 0;
  ids.forEach((v, k) => {
    if (v === padding) return;
    for (let j = 0; j < dim; j++) out[row * dim + j] = g[k * dim + j]!;
    row++;
  });
  return new RowSparseTensor(kept, values, weight.shape);
}
