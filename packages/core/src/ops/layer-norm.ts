import { checkNumber } from '../util/options.js';
import { record } from '../autograd/record.js';
import { isFloating } from '../dtype.js';
import { formatShape, numel, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { groupStats } from './channel-norm.js';
import { contiguous, detach } from './copy.js';

/**
 * Normalises over the trailing dims `normalizedShape` to zero mean and unit (biased) variance,
 * then scales by `weight` and shifts by `bias` (both of shape `normalizedShape`), as
 * `torch.nn.functional.layer_norm`. The backward is the closed form
 * dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) with dx̂ = dy·weight.
 * @param input - [*, ...normalizedShape], float32 or float64
 * @param normalizedShape - the trailing dims normalised over (at least one), equal to `input`'s last dims
 * @param weight - the elementwise scale, of shape `normalizedShape` and `input`'s dtype; `null` (default): none
 * @param bias - the elementwise shift, of shape `normalizedShape` and `input`'s dtype; `null` (default): none
 * @param eps - added to the variance before the square root (default 1e-5)
 */
export function layerNorm(
  input: Tensor,
  normalizedShape: readonly number[],
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  eps = 1e-5,
): Tensor {
  checkLayerNorm(input, normalizedShape, weight, bias);
  checkNumber('layerNorm', 'eps', eps);
  const K = numel(normalizedShape);
  const rows = K === 0 ? 0 : input.numel / K;
  const xt = contiguous(detach(input));
  const x = xt.data();
  const wt = weight ? contiguous(detach(weight)) : null;
  const w = wt ? wt.data() : null;
  const b = bias ? contiguous(detach(bias)).data() : null;
  // The row statistics by the kernels (SIMD for float32): row sums, then squares about each mean.
  const stats = rows > 0 ? groupStats(xt, { N: rows, C: 1, L: K, channelsPerGroup: 1, perSample: true }) : null;
  const mean = stats ? stats.mean : new Float64Array(0);
  const rstd = stats ? stats.variance.map((v) => 1 / Math.sqrt(v + eps)) : new Float64Array(0);
  const out = Tensor.empty(input.shape, input.dtype);
  const y = out.data();
  for (let r = 0; r < rows; r++) {
    const start = r * K;
    const mu = mean[r]!;
    const inv = rstd[r]!;
    for (let j = 0; j < K; j++) {
      const xhat = (x[start + j]! - mu) * inv;
      y[start + j] = w ? xhat * w[j]! + (b ? b[j]! : 0) : xhat + (b ? b[j]! : 0);
    }
  }
  const inputs = [input, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  return record('layerNorm', out, inputs, (g) => {
    const G = contiguous(g).data();
    const gradInput = input.requiresGrad ? Tensor.empty(input.shape, input.dtype) : null;
    const gradWeight = weight?.requiresGrad ? Tensor.empty(weight.shape, weight.dtype) : null;
    const gradBias = bias?.requiresGrad ? Tensor.empty(bias.shape, bias.dtype) : null;
    const dx = gradInput?.data();
    const dw = gradWeight?.data();
    const db = gradBias?.data();
    dw?.fill(0);
    db?.fill(0);
    // Fetched again, not kept from the forward: outside a scope, a pass may have moved these
    // regions out and given them to other tensors since (a kept array would read their bytes).
    const x = xt.data();
    const w = wt ? wt.data() : null;
    for (let r = 0; r < rows; r++) {
      const start = r * K;
      const mu = mean[r]!;
      const inv = rstd[r]!;
      let sumD = 0;
      let sumDX = 0;
      for (let j = 0; j < K; j++) {
        const gj = G[start + j]!;
        const xhat = (x[start + j]! - mu) * inv;
        const d = w ? gj * w[j]! : gj;
        sumD += d;
        sumDX += d * xhat;
        if (dw) dw[j] = dw[j]! + gj * xhat;
        if (db) db[j] = db[j]! + gj;
      }
      if (!dx) continue;
      const meanD = sumD / K;
      const meanDX = sumDX / K;
      for (let j = 0; j < K; j++) {
        const xhat = (x[start + j]! - mu) * inv;
        const d = w ? G[start + j]! * w[j]! : G[start + j]!;
        dx[start + j] = inv * (d - meanD - xhat * meanDX);
      }
    }
    // Gradients in the order of `inputs`: weight and bias only where they were given.
    return [gradInput, ...(weight ? [gradWeight] : []), ...(bias ? [gradBias] : [])];
  });
}

function checkLayerNorm(input: Tensor, normalizedShape: readonly number[], weight: Tensor | null, bias: Tensor | null): void {
  const n = normalizedShape.length;
  if (n === 0 || n > input.ndim || !shapesEqual(input.shape.slice(input.ndim - n), normalizedShape)) {
    throw new RangeError(
      `layerNorm: given normalizedShape=${formatShape(normalizedShape)}, expected input with shape [*, ${normalizedShape.join(', ')}], but got input of size ${formatShape(input.shape)}`,
    );
  }
  if (!isFloating(input.dtype)) throw new TypeError(`layerNorm: expected a floating-point input, got ${input.dtype}`);
  for (const [name, t] of [
    ['weight', weight],
    ['bias', bias],
  ] as const) {
    if (t && (!shapesEqual(t.shape, normalizedShape) || t.dtype !== input.dtype)) {
      throw new RangeError(
        `layerNorm: expected ${name} of shape ${formatShape(normalizedShape)} and dtype ${input.dtype}, got ${formatShape(t.shape)} of dtype ${t.dtype}`,
      );
    }
  }
}
