/** Tensor methods of the structure ops (`x.gather(dim, index)` is `gather(x, dim, index)`). */
import { gather, indexSelect } from '../../ops/indexing.js';
import type { Tensor } from '../tensor.js';
import { installMethods } from './install.js';

declare module '../tensor.js' {
  interface Tensor {
    gather(dim: number, index: Tensor): Tensor;
    indexSelect(dim: number, index: Tensor): Tensor;
  }
}

installMethods({
  gather(this: Tensor, dim: number, index: Tensor) {
    return gather(this, dim, index);
  },
  indexSelect(this: Tensor, dim: number, index: Tensor) {
    return indexSelect(this, dim, index);
  },
});
