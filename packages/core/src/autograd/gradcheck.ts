import { Generator } from '../random/generator.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, optionKeys } from '../util/options.js';
import { mul } from '../ops/binary.js';
import { detach } from '../ops/copy.js';
import { sum } from '../ops/reduce.js';
import { backward } from './backward.js';
import { noGrad } from './grad-mode.js';

/** Options of `gradcheck`. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6): each element is moved by ±eps. */
  eps?: number;
  /** Absolute tolerance (default 1e-5): passes when |analytic − numeric| ≤ atol + rtol·|numeric|. */
  atol?: number;
  /** Relative tolerance (default 1e-3), scaled by |numeric|. */
  rtol?: number;
  /** Seed of the random upstream gradient (default 1234). */
  seed?: number;
}

const GRADCHECK_OPTIONS = optionKeys<GradcheckOptions>({ eps: true, atol: true, rtol: true, seed: true });

function weightedSum(out: Tensor, upstream: Tensor): Tensor {
  return sum(mul(out, upstream));
}

/**
 * Checks the gradients autograd gives for `fn` against central finite differences, in float64,
 * as `torch.autograd.gradcheck`: the output is contracted with a fixed random upstream gradient,
 * so a non-scalar `fn` is checked in every output direction at once. Every floating input that
 * requires grad is checked. Throws an error naming the input and element at fault; returns true.
 * @param fn - the function checked: takes copies of `inputs` in order and returns a floating
 *   tensor; called again, without grad, twice per checked element
 * @param inputs - its arguments; those that require grad must be float64 and are checked, the
 *   others are passed as constants (copies, so the callers' tensors are never changed)
 * @param options - `eps`, `atol`, `rtol` and `seed`, see {@link GradcheckOptions}; unknown keys throw
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradcheckOptions = {}): true {
  checkOptions('gradcheck', options, GRADCHECK_OPTIONS);
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, seed = 1234 } = options;
  for (const [i, t] of inputs.entries()) {
    if (t.requiresGrad && t.dtype !== 'float64') {
      throw new TypeError(`gradcheck: input ${i} is ${t.dtype}; gradcheck needs float64 inputs`);
    }
  }
  const leaves = inputs.map((t) => {
    const leaf = detach(t).clone();
    leaf.requiresGrad = t.requiresGrad;
    return leaf;
  });
  const out = fn(...leaves);
  const upstream = Tensor.empty(out.shape, 'float64');
  new Generator(seed).fillNormal(upstream.data() as Float64Array);
  backward(weightedSum(out, upstream));
  leaves.forEach((leaf, i) => {
    if (!leaf.requiresGrad) return;
    const analytic = leaf.grad
      ? (leaf.grad.isSparse ? (leaf.grad as Tensor & { toDense(): Tensor }).toDense() : leaf.grad).toArray()
      : new Float64Array(leaf.numel);
    const values = leaf.data();
    for (let k = 0; k < leaf.numel; k++) {
      const saved = values[k]!;
      const f = (x: number): number => {
        values[k] = x;
        return noGrad(() => weightedSum(fn(...leaves), upstream).item());
      };
      const numeric = (f(saved + eps) - f(saved - eps)) / (2 * eps);
      values[k] = saved;
      const a = analytic[k]!;
      if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric))) {
        throw new Error(`gradcheck: input ${i} (shape ${formatShape(leaf.shape)}) element ${k}: analytic ${a} vs numeric ${numeric}`);
      }
    }
  });
  return true;
}
