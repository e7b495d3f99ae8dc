import { isFloating } from '../dtype.js';
import { checkGenerator, defaultGenerator, type Generator } from '../random/generator.js';
import { Tensor } from '../tensor/tensor.js';
import { checkFlag, checkNumber } from '../util/options.js';
import { mul } from './binary.js';

/**
 * Inverted dropout, as `torch.nn.functional.dropout`: in training each element is zeroed with
 * probability `p` and the survivors are scaled by 1/(1−p), so the expectation is unchanged. The
 * mask comes from `generator` (the default generator if none), in row-major order, so a seeded
 * generator gives the same mask every time.
 * @param input - the activations, float32 or float64, any shape
 * @param p - the probability of zeroing an element (default 0.5), in [0, 1]; 0 returns `input`
 *   itself and 1 gives zeros
 * @param training - apply dropout (default true); false returns `input` itself, as in eval mode
 * @param generator - the random stream of the mask (default `defaultGenerator`); one draw per element
 */
export function dropout(input: Tensor, p = 0.5, training = true, generator: Generator = defaultGenerator): Tensor {
  checkNumber('dropout', 'p', p);
  checkFlag('dropout', 'training', training);
  checkGenerator('dropout', generator);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout: dropout probability has to be between 0 and 1, but got ${p}`);
  if (!training || p === 0) return input;
  if (!isFloating(input.dtype)) throw new TypeError(`dropout: expected a floating-point input, got ${input.dtype}`);
  if (p === 1) return mul(input, 0);
  const mask = Tensor.empty(input.shape, input.dtype);
  const m = mask.data();
  const scale = 1 / (1 - p);
  for (let i = 0; i < m.length; i++) m[i] = generator.nextDouble() < p ? 0 : scale;
  return mul(input, mask);
}
