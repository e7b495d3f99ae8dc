import { flatten } from '../ops/views.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** Flattens dims `startDim`…`endDim` into one; by default all but the batch dim. */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }

  /** `start_dim=…, end_dim=…`, as PyTorch. */
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }

  forward(input: Tensor): Tensor {
    return flatten(input, this.startDim, this.endDim);
  }
}
