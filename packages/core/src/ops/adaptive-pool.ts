import { record } from '../autograd/record.js';
import { isFloating } from '../dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { formatValue } from '../util/format-value.js';
import { contiguous, detach } from './copy.js';

/** An adaptive output size: one size for both dims, or [height, width] where null keeps the input's. */
export type AdaptiveSize2d = number | readonly [number | null, number | null];

/** The input rows (or columns) output cell i averages: floor(i·n/out) to ceil((i+1)·n/out) − 1. */
function windows(n: number, out: number): [number, number][] {
  return Array.from({ length: out }, (_, i) => [Math.floor((i * n) / out), Math.ceil(((i + 1) * n) / out)]);
}

/**
 * Throws unless `outputSize` is an integer ≥ 1 or a pair of them (`null` keeping the input's size); returns it.
 * @param op - the function or class named in the error
 * @param outputSize - what the caller gave
 */
export function checkAdaptiveSize(op: string, outputSize: unknown): AdaptiveSize2d {
  const size = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1;
  const valid =
    size(outputSize) || (Array.isArray(outputSize) && outputSize.length === 2 && outputSize.every((v) => v === null || size(v)));
  if (!valid) {
    throw new RangeError(
      `${op}: outputSize must be a positive integer or a pair of them (null keeps the input size), got ${formatValue(outputSize)}`,
    );
  }
  return outputSize as AdaptiveSize2d;
}

/**
 * Average pooling of [N, C, H, W] or [C, H, W] to a fixed output size, as
 * `torch.nn.functional.adaptive_avg_pool2d`: windows overlap where the output size does not
 * divide the input's.
 * @param input - floating-point, [N, C, H, W] or unbatched [C, H, W].
 * @param outputSize - the output [H, W]: one size for both, or a pair where `null` keeps the
 *   input's size along that dim; sizes are integers ≥ 1.
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: AdaptiveSize2d): Tensor {
  const op = 'adaptiveAvgPool2d';
  if (input.ndim !== 3 && input.ndim !== 4)
    throw new RangeError(`${op}: expected a 3-D or 4-D input, but got input of size ${formatShape(input.shape)}`);
  if (!isFloating(input.dtype)) throw new TypeError(`${op}: expected a floating-point input, got ${input.dtype}`);
  const [H, W] = input.shape.slice(-2) as [number, number];
  checkAdaptiveSize(op, outputSize);
  const pair = typeof outputSize === 'number' ? [outputSize, outputSize] : outputSize;
  const oh = pair[0] ?? H;
  const ow = pair[1] ?? W;
  const rowsOf = windows(H, oh);
  const colsOf = windows(W, ow);
  const x = contiguous(detach(input));
  const X = x.data();
  const planes = x.numel / (H * W);
  const out = Tensor.empty([...input.shape.slice(0, -2), oh, ow], input.dtype);
  const Y = out.data();
  for (let plane = 0, o = 0; plane < planes; plane++) {
    for (const [y0, y1] of rowsOf) {
      for (const [x0, x1] of colsOf) {
        let s = 0;
        for (let y = y0; y < y1; y++) for (let xx = x0; xx < x1; xx++) s += X[(plane * H + y) * W + xx]!;
        Y[o++] = s / ((y1 - y0) * (x1 - x0));
      }
    }
  }
  return record(op, out, [input], (g) => {
    const G = contiguous(g).data();
    const grad = Tensor.empty(input.shape, input.dtype);
    const D = grad.data();
    D.fill(0);
    for (let plane = 0, o = 0; plane < planes; plane++) {
      for (const [y0, y1] of rowsOf) {
        for (const [x0, x1] of colsOf) {
          const share = G[o++]! / ((y1 - y0) * (x1 - x0));
          for (let y = y0; y < y1; y++) for (let xx = x0; xx < x1; xx++) D[(plane * H + y) * W + xx]! += share;
        }
      }
    }
    return [grad];
  });
}
