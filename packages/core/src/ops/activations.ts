import type { Tensor } from '../tensor/tensor.js';
import { formatValue } from '../util/format-value.js';
import { checkNumber } from '../util/options.js';
import { unaryOp } from './elementwise-internal.js';

/**
 * max(x, 0) elementwise (keeps the dtype; NaN propagates).
 * @param x - the input, any shape; the result keeps its dtype (bool gives int32)
 */
export function relu(x: Tensor): Tensor {
  return unaryOp('relu', 'relu', x, 'keep');
}

/**
 * x for x > 0, negativeSlope·x otherwise, as `torch.nn.functional.leaky_relu`.
 * @param x - the input, any shape; int32 and bool inputs compute in float32
 * @param negativeSlope - the slope for x ≤ 0 (default 0.01)
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return unaryOp('leakyRelu', 'leakyRelu', x, 'float', checkNumber('leakyRelu', 'negativeSlope', negativeSlope));
}

/**
 * x·Φ(x), with Φ the standard normal CDF: exact through erf (`'none'`, the default) or with
 * PyTorch's tanh approximation (`'tanh'`).
 * @param x - the input, any shape; int32 and bool inputs compute in float32
 * @param approximate - `'none'` (default, exact) or `'tanh'`; any other value throws
 */
export function gelu(x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new RangeError(`gelu: approximate must be 'none' or 'tanh', got ${formatValue(approximate)}`);
  }
  return unaryOp('gelu', approximate === 'tanh' ? 'geluTanh' : 'gelu', x, 'float');
}

/**
 * 1 / (1 + e⁻ˣ), without overflow for large |x|.
 * @param x - the input, any shape; int32 and bool inputs compute in float32
 */
export function sigmoid(x: Tensor): Tensor {
  return unaryOp('sigmoid', 'sigmoid', x, 'float');
}

/**
 * Hyperbolic tangent elementwise.
 * @param x - the input, any shape; int32 and bool inputs compute in float32
 */
export function tanh(x: Tensor): Tensor {
  return unaryOp('tanh', 'tanh', x, 'float');
}

/**
 * log(1 + e^(βx))/β, and x itself where βx > threshold (as `torch.nn.functional.softplus`);
 * stable for large |x|.
 * @param x - the input, any shape; int32 and bool inputs compute in float32
 * @param beta - β, the sharpness (default 1)
 * @param threshold - above this βx the result is x itself (default 20)
 */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  return unaryOp(
    'softplus',
    'softplus',
    x,
    'float',
    checkNumber('softplus', 'beta', beta),
    checkNumber('softplus', 'threshold', threshold),
  );
}

/**
 * log σ(x) = −softplus(−x), stable for large |x|.
 * @param x - the input, any shape; int32 and bool inputs compute in float32
 */
export function logSigmoid(x: Tensor): Tensor {
  return unaryOp('logSigmoid', 'logSigmoid', x, 'float');
}

/**
 * x·σ(x), the sigmoid-weighted linear unit (swish), as `torch.nn.functional.silu`.
 * @param x - the input, any shape; int32 and bool inputs compute in float32
 */
export function silu(x: Tensor): Tensor {
  return unaryOp('silu', 'silu', x, 'float');
}

/**
 * x·tanh(softplus(x)), as `torch.nn.functional.mish`.
 * @param x - the input, any shape; int32 and bool inputs compute in float32
 */
export function mish(x: Tensor): Tensor {
  return unaryOp('mish', 'mish', x, 'float');
}

/**
 * x for x > 0, alpha·(eˣ − 1) otherwise, as `torch.nn.functional.elu`.
 * @param x - the input, any shape; int32 and bool inputs compute in float32
 * @param alpha - the scale of the negative part, which saturates at −alpha (default 1)
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  return unaryOp('elu', 'elu', x, 'float', checkNumber('elu', 'alpha', alpha));
}

/**
 * x clamped to [minVal, maxVal], as `torch.nn.functional.hardtanh`; unlike `clamp`, the gradient
 * is 0 at the bounds themselves.
 * @param x - the input, any shape; int32 and bool inputs compute in float32
 * @param minVal - the lower bound (default -1)
 * @param maxVal - the upper bound (default 1); must be greater than `minVal`
 */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  checkNumber('hardtanh', 'minVal', minVal);
  checkNumber('hardtanh', 'maxVal', maxVal);
  if (!(maxVal > minVal)) throw new RangeError(`hardtanh: maxVal (${maxVal}) must be greater than minVal (${minVal})`);
  return unaryOp('hardtanh', 'hardtanh', x, 'float', minVal, maxVal);
}

/**
 * x / (1 + |x|), as `torch.nn.functional.softsign`.
 * @param x - the input, any shape; int32 and bool inputs compute in float32
 */
export function softsign(x: Tensor): Tensor {
  return unaryOp('softsign', 'softsign', x, 'float');
}
