/** Tensor methods of the structure ops (`x.gather(dim, index)` is `gather(x, dim, index)`). */
import { cumsum } from '../../ops/cumsum.js';
import type { ValuesIndices } from '../../ops/extrema.js';
import { gather, indexSelect } from '../../ops/indexing.js';
import { argsort, sort, topk, type SortOptions, type TopkOptions } from '../../ops/sort.js';
import { getIndex, select } from '../../ops/views.js';
import type { Tensor } from '../tensor.js';
import { installMethods } from './install.js';

declare module '../tensor.js' {
  interface Tensor {
    /**
     * Values along `dim` picked by an int32 `index` of the same ndim, as `torch.gather`.
     * @param dim The dim the index picks along.
     * @param index int32 positions, one per output element.
     */
    gather(dim: number, index: Tensor): Tensor;
    /**
     * The entries `index` of dimension `dim`, as `torch.index_select`.
     * @param dim The dim to select from.
     * @param index int32 positions (1-D).
     */
    indexSelect(dim: number, index: Tensor): Tensor;
    /**
     * The slice at `index` of dimension `dim`, that dimension removed (a view), as `torch.select`.
     * @param dim The dim to index.
     * @param index The position (negative counts from the end).
     */
    select(dim: number, index: number): Tensor;
    /**
     * Integer indexing from the first dim: `t.get(i)` is PyTorch's `t[i]`, `t.get(i, j)` is `t[i, j]` (a view).
     * @param indices One position per leading dim (negative counts from the end).
     */
    get(...indices: number[]): Tensor;
    /**
     * Sorted values and the int32 indices that sort them, as `torch.sort` (always stable).
     * @param dim The dim to sort along (default the last).
     * @param options `descending` (default false).
     */
    sort(dim?: number, options?: SortOptions): ValuesIndices;
    /**
     * The int32 indices that sort along `dim`, as `torch.argsort`.
     * @param dim The dim to sort along (default the last).
     * @param options `descending` (default false).
     */
    argsort(dim?: number, options?: SortOptions): Tensor;
    /**
     * The k largest (or smallest) values along `dim` and their int32 indices, as `torch.topk`.
     * @param k How many.
     * @param dim The dim to search (default the last).
     * @param options `largest` (default true).
     */
    topk(k: number, dim?: number, options?: TopkOptions): ValuesIndices;
    /**
     * The cumulative sum along `dim`, as `torch.cumsum`.
     * @param dim The dim to accumulate along.
     */
    cumsum(dim: number): Tensor;
  }
}

installMethods({
  select(this: Tensor, dim: number, index: number) {
    return select(this, dim, index);
  },
  get(this: Tensor, ...indices: number[]) {
    return getIndex(this, indices);
  },
  sort(this: Tensor, dim?: number, options?: SortOptions) {
    return sort(this, dim, options);
  },
  argsort(this: Tensor, dim?: number, options?: SortOptions) {
    return argsort(this, dim, options);
  },
  topk(this: Tensor, k: number, dim?: number, options?: TopkOptions) {
    return topk(this, k, dim, options);
  },
  cumsum(this: Tensor, dim: number) {
    return cumsum(this, dim);
  },
  gather(this: Tensor, dim: number, index: Tensor) {
    return gather(this, dim, index);
  },
  indexSelect(this: Tensor, dim: number, index: Tensor) {
    return indexSelect(this, dim, index);
  },
});
