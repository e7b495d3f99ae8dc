import { formatValue } from '../util/format-value.js';
import { record } from '../autograd/record.js';
import { isFloating } from '../dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkFlag, checkOptions } from '../util/options.js';
import { contiguous, detach } from './copy.js';
import { avgPool2d } from './pooling.js';
import { squeeze, unsqueeze } from './views.js';

/** Options of `maxPool1d`, as `torch.nn.functional.max_pool1d`. */
export interface MaxPool1dOptions {
  /** The window length, a positive integer. */
  kernelSize: number;
  /** The step between windows, a positive integer; defaults to `kernelSize`. */
  stride?: number;
  /** Implicit −∞ padding on both sides (default 0); at most half the kernel. */
  padding?: number;
  /** Spacing between the taps of a window (default 1, adjacent taps). */
  dilation?: number;
  /** Round the output size up instead of down. */
  ceilMode?: boolean;
}

/** Options of `avgPool1d`, as `torch.nn.functional.avg_pool1d`. */
export interface AvgPool1dOptions {
  /** The window length, an integer ≥ 1. */
  kernelSize: number;
  /** Defaults to `kernelSize`. */
  stride?: number;
  /** Zero padding on both sides (default 0); at most half the kernel. */
  padding?: number;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Whether zero padding counts in the divisor (default true). */
  countIncludePad?: boolean;
}

function positiveInt(op: string, name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${op}: ${name} must be an integer ≥ ${min}, got ${formatValue(v)}`);
  return v;
}

/**
 * 1-D max pooling over [N, C, L] or [C, L], as `torch.nn.functional.max_pool1d`. The gradient goes
 * to the first maximum of each window (NaN counts as the maximum).
 * @param input - [N, C, L] or [C, L], float32 or float64
 * @param options - `kernelSize` (required), `stride`, `padding`, `dilation` and `ceilMode`, see
 *   {@link MaxPool1dOptions}; unknown keys throw
 */
export function maxPool1d(input: Tensor, options: MaxPool1dOptions): Tensor {
  const op = 'maxPool1d';
  checkOptions(op, options, ['kernelSize', 'stride', 'padding', 'dilation', 'ceilMode']);
  if (input.ndim !== 2 && input.ndim !== 3)
    throw new RangeError(`${op}: expected a 2-D (unbatched) or 3-D (batched) input, but got input of size ${formatShape(input.shape)}`);
  if (!isFloating(input.dtype)) throw new TypeError(`${op}: expected a floating-point input, got ${input.dtype}`);
  const k = positiveInt(op, 'kernelSize', options.kernelSize, 1);
  const s = positiveInt(op, 'stride', options.stride ?? k, 1);
  const p = positiveInt(op, 'padding', options.padding ?? 0, 0);
  const d = positiveInt(op, 'dilation', options.dilation ?? 1, 1);
  if (2 * p > k) throw new RangeError(`${op}: pad should be at most half of kernel size, but got padding=${p} and kernelSize=${k}`);
  const L = input.shape[input.ndim - 1]!;
  const ceil = checkFlag(op, 'ceilMode', options.ceilMode) ?? false;
  let outL = Math.floor((L + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (outL - 1) * s >= L + p) outL--;
  if (outL < 1) throw new RangeError(`${op}: input ${formatShape(input.shape)} gives output size ${outL}, which is too small`);
  const x = contiguous(detach(input));
  const X = x.data();
  const rows = x.numel / L;
  const out = Tensor.empty([...input.shape.slice(0, -1), outL], input.dtype);
  const Y = out.data();
  const argmax = new Int32Array(rows * outL);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outL; o++) {
      let best = -Infinity;
      let at = -1;
      for (let t = 0, i = o * s - p; t < k; t++, i += d) {
        if (i < 0 || i >= L) continue;
        const v = X[r * L + i]!;
        if (at < 0 || v > best || v !== v) {
          best = v;
          at = i;
        }
        if (v !== v) break;
      }
      Y[r * outL + o] = best;
      argmax[r * outL + o] = at;
    }
  }
  return record(op, out, [input], (g) => {
    const G = contiguous(g).data();
    const grad = Tensor.empty(input.shape, input.dtype);
    const D = grad.data();
    D.fill(0);
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < outL; o++) {
        const at = r * L + argmax[r * outL + o]!;
        D[at] = D[at]! + G[r * outL + o]!;
      }
    }
    return [grad];
  });
}

/**
 * 1-D average pooling over [N, C, L] or [C, L], as `torch.nn.functional.avg_pool1d`: `avgPool2d`
 * over a height of 1.
 * @param input - floating-point, [N, C, L] or unbatched [C, L].
 * @param options - the window, see {@link AvgPool1dOptions}; unknown keys throw.
 */
export function avgPool1d(input: Tensor, options: AvgPool1dOptions): Tensor {
  checkOptions('avgPool1d', options, ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad']);
  if (input.ndim !== 2 && input.ndim !== 3) {
    throw new RangeError(`avgPool1d: expected a 2-D (unbatched) or 3-D (batched) input, but got input of size ${formatShape(input.shape)}`);
  }
  const { kernelSize, stride = kernelSize, padding = 0, ceilMode = false, countIncludePad = true } = options;
  const out = avgPool2d(unsqueeze(input, -2), {
    kernelSize: [1, kernelSize],
    stride: [1, stride],
    padding: [0, padding],
    ceilMode,
    countIncludePad,
  });
  return squeeze(out, -2);
}
