import { dropout } from '../ops/dropout.js';
import { checkGenerator, defaultGenerator, type Generator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { pyFloat } from './repr.js';
import { Module } from './module.js';
import { checkNumber, optionKeys, type PositionalOr, positionalOptions } from '../util/options.js';

/** Options of `Dropout`. */
export interface DropoutOptions {
  /** Probability of an element to be zeroed; default 0.5. */
  p?: number;
  /** Draws the masks (default: the default generator). */
  generator?: Generator;
}

const DROPOUT_OPTIONS = optionKeys<DropoutOptions>({ p: true, generator: true });

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
   * `new Dropout(0.2)` as in PyTorch, or `new Dropout({ p: 0.2, generator })`.
   * @param args - the probability `p` of zeroing an element, in [0, 1] (default 0.5), positionally
   *   or in {@link DropoutOptions} with the `generator`; unknown keys throw.
   */
  constructor(...args: PositionalOr<[p: number], DropoutOptions>) {
    super();
    const { p = 0.5, generator = defaultGenerator } = positionalOptions<DropoutOptions>('Dropout', args, ['p'], DROPOUT_OPTIONS);
    checkNumber('Dropout', 'p', p);
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Dropout: dropout probability has to be between 0 and 1, but got ${p}`);
    this.p = p;
    this.generator = checkGenerator('Dropout', generator);
  }

  /** `p=…, inplace=False`, as PyTorch. */
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }

  /**
   * In training mode, `input` with each element zeroed with probability `p` and the rest scaled by
   * 1/(1−p), the mask drawn from `generator`; in eval mode (or with p = 0) `input` itself.
   * @param input - any shape; floating-point when a mask is drawn.
   */
  forward(input: Tensor): Tensor {
    return dropout(input, this.p, this.training, this.generator);
  }
}
