import { dropout } from '../ops/dropout.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { pyFloat } from './repr.js';
import { Module } from './module.js';

/** Options of `Dropout`. */
export interface DropoutOptions {
  /** Draws the masks (default: the default generator). */
  generator?: Generator;
}

/**
 * Zeroes each element with probability `p` in training mode and scales the rest by 1/(1−p); the
 * identity in evaluation mode.
 */
export class Dropout extends Module {
  readonly p: number;
  /**
   * Where the masks come from. The parallel trainer replaces or reseeds it per (step, chunk) so
   * that masks do not depend on which thread runs a chunk.
   */
  generator: Generator;

  /**
   * @param p The probability of zeroing an element (default 0.5).
   * @param options `generator`: where the masks come from (default: the default generator).
   */
  constructor(p = 0.5, { generator = defaultGenerator }: DropoutOptions = {}) {
    super();
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Dropout: dropout probability has to be between 0 and 1, but got ${p}`);
    this.p = p;
    this.generator = generator;
  }

  /** `p=…, inplace=False`, as PyTorch. */
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }

  forward(input: Tensor): Tensor {
    return dropout(input, this.p, this.training, this.generator);
  }
}
