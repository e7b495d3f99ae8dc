/** Gradient clipping in place, as `torch.nn.utils.clip_grad_norm_` and `clip_grad_value_`. */
import { formatValue } from '../util/format-value.js';
import { persistent } from '../memory/context.js';
import { RowSparseTensor } from '../tensor/row-sparse.js';
import { forEachOffset, Tensor } from '../tensor/tensor.js';
import { checkFlag, checkNumber, checkOptions, optionKeys } from '../util/options.js';

/** Options of `clipGradNorm_`. */
export interface ClipGradNormOptions {
  /** Throw when the total norm is NaN or infinite instead of scaling by it. */
  errorIfNonfinite?: boolean;
}

/** The dense tensor holding a gradient's values: itself, or a row-sparse gradient's values. */
function valuesOf(grad: Tensor): Tensor {
  return grad instanceof RowSparseTensor ? grad.values : grad;
}

function gradients(parameters: Tensor | Iterable<Tensor>): Tensor[] {
  const list = parameters instanceof Tensor ? [parameters] : [...parameters];
  return list.flatMap((p) => (p.grad ? [p.grad] : []));
}

/** Replaces every element of `t` (any strides) by `fn(element)`. */
function mapInPlace(t: Tensor, fn: (v: number) => number): void {
  const data = t.storage.array();
  forEachOffset(t, (off) => {
    data[off] = fn(data[off]!);
  });
}

/** Σ|g|ᵖ over the elements of one gradient, or max |g| for p = ∞. */
function accumulateNorm(grad: Tensor, p: number): number {
  // Repeated rows of an uncoalesced sparse gradient add up before the norm is taken.
  const values = grad instanceof RowSparseTensor ? grad.coalesce().values : grad;
  const data = values.storage.array();
  let acc = 0;
  forEachOffset(values, (off) => {
    const a = Math.abs(data[off]!);
    if (p === Infinity) acc = a > acc || Number.isNaN(a) ? a : acc;
    else acc += p === 2 ? a * a : p === 1 ? a : a ** p;
  });
  return acc;
}

/**
 * Scales the gradients of `parameters` in place so that their norm, taken together as one
 * vector, is at most `maxNorm`; returns that total norm (before clipping). As in PyTorch, the
 * scale is maxNorm / (total + 1e-6), applied when it is below 1. Parameters without a gradient
 * are skipped.
 * @param parameters A tensor or tensors whose `.grad` to scale.
 * @param maxNorm The largest norm allowed.
 * @param normType The p of the p-norm (default 2; Infinity for the max norm).
 * @param options `errorIfNonfinite` (default false): throw when the total norm is NaN or infinite.
 */
export function clipGradNorm_(
  parameters: Tensor | Iterable<Tensor>,
  maxNorm: number,
  normType = 2,
  options: ClipGradNormOptions = {},
): number {
  checkOptions('clipGradNorm_', options, optionKeys<ClipGradNormOptions>({ errorIfNonfinite: true }));
  const errorIfNonfinite = checkFlag('clipGradNorm_', 'errorIfNonfinite', options.errorIfNonfinite) ?? false;
  checkNumber('clipGradNorm_', 'maxNorm', maxNorm);
  checkNumber('clipGradNorm_', 'normType', normType);
  if (!(normType > 0)) throw new RangeError(`clipGradNorm_: normType must be positive or Infinity, got ${formatValue(normType)}`);
  const grads = gradients(parameters);
  if (grads.length === 0) return 0;
  const parts = grads.map((g) => accumulateNorm(g, normType));
  const total =
    normType === Infinity
      ? parts.reduce((m, v) => (v > m || Number.isNaN(v) ? v : m), 0)
      : parts.reduce((s, v) => s + v, 0) ** (1 / normType);
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new Error(
      `clipGradNorm_: the total norm of order ${normType} for gradients from \`parameters\` is non-finite, so it cannot be clipped. ` +
        'To disable this error and scale the gradients by the non-finite norm anyway, set errorIfNonfinite: false',
    );
  }
  const clipCoef = maxNorm / (total + 1e-6);
  // Written as "not ≥ 1" so that a NaN coefficient scales the gradients, as PyTorch's clamp does.
  if (!(clipCoef >= 1)) for (const g of grads) mapInPlace(valuesOf(g), (v) => v * clipCoef);
  return total;
}

/**
 * Clamps every gradient element of `parameters` into [−clipValue, clipValue] in place.
 * @param parameters - one tensor or several (`model.parameters()`); those without a `.grad` are
 *   skipped, a row-sparse gradient is coalesced first.
 * @param clipValue - the bound, ≥ 0 (NaN or negative throws).
 */
export function clipGradValue_(parameters: Tensor | Iterable<Tensor>, clipValue: number): void {
  checkNumber('clipGradValue_', 'clipValue', clipValue);
  if (!(clipValue >= 0)) throw new RangeError(`clipGradValue_: clipValue must be non-negative, got ${formatValue(clipValue)}`);
  const list = parameters instanceof Tensor ? [parameters] : [...parameters];
  for (const p of list) {
    if (!p.grad) continue;
    // Clamping must see each row's summed value, so repeated rows are merged first.
    if (p.grad instanceof RowSparseTensor) {
      const sparse = p.grad;
      p.grad = persistent(() => sparse.coalesce());
    }
    mapInPlace(valuesOf(p.grad), (v) => (v > clipValue ? clipValue : v < -clipValue ? -clipValue : v));
  }
}
