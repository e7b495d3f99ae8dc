import { defaultGenerator, type Generator } from '../random/generator.js';
import { formatShape } from '../tensor/shape.js';
import { checkOptions, optionKeys } from '../util/options.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div } from './binary.js';
import { scalar } from './creation.js';
import { dropout } from './dropout.js';
import { matmul } from './matmul.js';
import { softmax } from './softmax.js';
import { where } from './unary.js';
import { transpose } from './views.js';

/** Options of `scaledDotProductAttention`. */
export interface ScaledDotProductAttentionOptions {
  /** Added to the scores (float), or true where a query may NOT attend to a key (bool → −∞); broadcasts against [..., L, S]. */
  attnMask?: Tensor | null;
  /** Dropout probability on the attention weights (default 0). */
  dropoutP?: number;
  /** Apply the dropout (default true). */
  training?: boolean;
  /** The random stream of the dropout mask (default `defaultGenerator`). */
  generator?: Generator;
}

const ATTENTION_OPTIONS = optionKeys<ScaledDotProductAttentionOptions>({ attnMask: true, dropoutP: true, training: true, generator: true });

/**
 * A bool mask (true = masked) as the additive float mask PyTorch builds from it: −∞ where true,
 * 0 elsewhere, in `dtype`. A float mask is returned as it is (it may carry a gradient).
 * @param mask - a bool mask, or a float mask already of `dtype`; any other dtype throws.
 * @param dtype - the dtype of the scores the mask is added to.
 * @param what - names the mask in the error, e.g. 'MultiheadAttention attnMask'.
 */
export function additiveMask(mask: Tensor, dtype: 'float32' | 'float64', what: string): Tensor {
  if (mask.dtype === 'bool') return where(mask, -Infinity, scalar(0, dtype));
  if (mask.dtype !== dtype) throw new TypeError(`${what}: expected a bool or ${dtype} mask, got ${mask.dtype}`);
  return mask;
}

/**
 * softmax(q·kᵀ/√d + mask)·v over the last two dims, q [..., L, d], k [..., S, d], v [..., S, dv],
 * as PyTorch 1.13's `_scaled_dot_product_attention` (q divided by √d before the product). Returns
 * the output [..., L, dv] and the attention weights [..., L, S] (after dropout, as PyTorch returns them).
 * @param q - the queries [..., L, d], floating
 * @param k - the keys [..., S, d]; leading dims broadcast with `q`'s
 * @param v - the values [..., S, dv]
 * @param options - `attnMask`, `dropoutP`, `training` and `generator`, see
 *   {@link ScaledDotProductAttentionOptions}; unknown keys throw
 */
export function scaledDotProductAttention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  options: ScaledDotProductAttentionOptions = {},
): [Tensor, Tensor] {
  checkOptions('scaledDotProductAttention', options, ATTENTION_OPTIONS);
  const { attnMask = null, dropoutP = 0, training = true, generator = defaultGenerator } = options;
  const d = q.shape[q.ndim - 1]!;
  if (k.shape[k.ndim - 1] !== d || k.shape[k.ndim - 2] !== v.shape[v.ndim - 2]) {
    throw new RangeError(
      `scaledDotProductAttention: q ${formatShape(q.shape)}, k ${formatShape(k.shape)} and v ${formatShape(v.shape)} do not fit together`,
    );
  }
  const product = matmul(div(q, Math.sqrt(d)), transpose(k, -2, -1));
  const scores = attnMask
    ? add(additiveMask(attnMask, product.dtype as 'float32' | 'float64', 'scaledDotProductAttention'), product)
    : product;
  const weights = dropout(softmax(scores, -1), dropoutP, training, generator);
  return [matmul(weights, v), weights];
}
