/**
 * Sorting along a dim: `sort`, `argsort` and `topk`. Each computes int32 indices outside the
 * autograd graph and takes the values with `gather`, whose backward scatters the gradient back to
 * the chosen elements, as PyTorch's sort/topk backward does.
 */
import { formatValue } from '../util/format-value.js';
import { checkOptions } from '../util/options.js';
import { formatShape, normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { contiguous } from './copy.js';
import { scalar } from './creation.js';
import { fromRows, toRows } from './elementwise-internal.js';
import type { ValuesIndices } from './extrema.js';
import { gather } from './indexing.js';
import { narrow } from './views.js';

/** Options of `sort` and `argsort`. */
export interface SortOptions {
  /** Largest first (default false: smallest first). */
  descending?: boolean;
  /**
   * Accepted for PyTorch compatibility: Loom's sort is always stable (equal elements keep their
   * order), so `false` only means "order of ties not required".
   */
  stable?: boolean;
}

/** Options of `topk`. */
export interface TopkOptions {
  /** The k largest (default true) or the k smallest. */
  largest?: boolean;
  /** Return them in sorted order (default true); Loom always does. */
  sorted?: boolean;
}

/**
 * NaN counts as larger than every number, as in PyTorch: ascending puts NaN last, descending
 * first. Ties keep their original order (the comparison falls back to the index).
 */
function compareAscending(a: number, b: number): number {
  if (a !== a) return b !== b ? 0 : 1;
  if (b !== b) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The sorting permutation of every row along `dim`, as an int32 tensor of x's shape. */
function sortIndices(x: Tensor, dim: number, descending: boolean): Tensor {
  const layout = toRows(x, [dim]);
  const src = layout.t.storage.array();
  const base = layout.t.offset;
  const { rows, n } = layout;
  const out = Tensor.empty(layout.t.shape, 'int32');
  const dst = out.storage.array();
  const order = Array.from({ length: n }, (_, i) => i);
  const sign = descending ? -1 : 1;
  for (let r = 0; r < rows; r++) {
    const row = base + r * n;
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((i, j) => sign * compareAscending(src[row + i]!, src[row + j]!) || i - j);
    for (let i = 0; i < n; i++) dst[r * n + i] = order[i]!;
  }
  return fromRows(out, layout.perm);
}

function checkSortable(x: Tensor, op: string): void {
  if (x.dtype === 'bool') throw new TypeError(`${op}: bool tensors cannot be sorted; convert with .int() first`);
}

/**
 * The elements of `x` sorted along `dim` (default the last), with the int32 indices that sort
 * them, as `torch.sort(x, dim, descending=…, stable=True)`. Differentiable in the values.
 * @param x - the input, int32 or floating (bool throws; NaN sorts as the largest value); a 0-d
 *   tensor is returned as it is with index 0
 * @param dim - the dim sorted along (default -1, the last); negative counts from the end
 * @param options - `descending` and `stable`, see {@link SortOptions}; unknown keys throw
 */
export function sort(x: Tensor, dim = -1, options: SortOptions = {}): ValuesIndices {
  checkOptions('sort', options, ['descending', 'stable']);
  checkSortable(x, 'sort');
  if (x.ndim === 0) return { values: x, indices: scalar(0, 'int32') };
  const d = normalizeDim(dim, x.ndim, 'sort');
  const indices = sortIndices(x, d, options.descending ?? false);
  return { values: gather(x, d, indices), indices };
}

/**
 * The int32 indices that sort `x` along `dim`, as `torch.argsort`; ties keep their order.
 * @param x - any shape, not bool; a 0-d tensor gives index 0.
 * @param dim - the dim to sort along (default −1, the last).
 * @param options - `descending` (default false) and `stable`, see {@link SortOptions}; unknown keys throw.
 */
export function argsort(x: Tensor, dim = -1, options: SortOptions = {}): Tensor {
  return sort(x, dim, options).indices;
}

/**
 * The `k` largest (or smallest) elements along `dim` (default the last) and their int32 indices,
 * as `torch.topk`; ties go to the lower index. Differentiable in the values.
 * @param x - the input, at least 1-D, int32 or floating (bool throws; NaN counts as the largest)
 * @param k - how many elements to keep, an integer in [0, x.shape[dim]]
 * @param dim - the dim searched along (default -1, the last); negative counts from the end
 * @param options - `largest` and `sorted`, see {@link TopkOptions}; unknown keys throw
 */
export function topk(x: Tensor, k: number, dim = -1, options: TopkOptions = {}): ValuesIndices {
  checkOptions('topk', options, ['largest', 'sorted']);
  checkSortable(x, 'topk');
  if (x.ndim === 0) throw new RangeError('topk: expects a tensor with at least one dimension; reshape a 0-d tensor to [1] first');
  const d = normalizeDim(dim, x.ndim, 'topk');
  const size = x.shape[d]!;
  if (!Number.isInteger(k) || k < 0 || k > size) {
    throw new RangeError(
      `topk: k (${formatValue(k)}) must be an integer in [0, ${size}], the size of dimension ${d} of shape ${formatShape(x.shape)}`,
    );
  }
  const indices = contiguous(narrow(sortIndices(x, d, options.largest ?? true), d, 0, k));
  return { values: gather(x, d, indices), indices };
}
