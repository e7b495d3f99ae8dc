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

  forward(input: Tensor): Tensor {
    return flatten(input, this.startDim, this.endDim);
  }
}
