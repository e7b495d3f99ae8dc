import { record } from '../autograd/record.js';
import { isFloating, type TypedArray } from '../dtype.js';
import { maxPool2x2Kernel, maxPoolBackwardKernel } from '../kernels/definitions.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { contiguous } from './copy.js';
import { type Size2d, toPair } from './conv.js';
import { checkFlag, checkOptions, optionKeys } from '../util/options.js';

/** Options of `maxPool2d`, as `torch.nn.functional.max_pool2d`. */
export interface MaxPool2dOptions {
  /** The window, [kH, kW] or one number for both; positive integers. */
  kernelSize: Size2d;
  /** The step between windows, [sH, sW] or one number; defaults to `kernelSize`. */
  stride?: Size2d;
  /** Implicit padding on both sides (−∞ for max, 0 for average), default 0; at most half the kernel. */
  padding?: Size2d;
  /** Round the output size up instead of down. */
  ceilMode?: boolean;
}

/** Options of `avgPool2d`, as `torch.nn.functional.avg_pool2d`. */
export interface AvgPool2dOptions extends MaxPool2dOptions {
  /** Whether zero padding counts in the divisor. */
  countIncludePad?: boolean;
}

/** Every option of `maxPool2d` and `avgPool2d`. */
export const MAX_POOL2D_OPTIONS = optionKeys<MaxPool2dOptions>({ kernelSize: true, stride: true, padding: true, ceilMode: true });
export const AVG_POOL2D_OPTIONS = optionKeys<AvgPool2dOptions>({
  kernelSize: true,
  stride: true,
  padding: true,
  ceilMode: true,
  countIncludePad: true,
});

/** The pooling windows over [N·C] planes of an input read through its strides. */
interface PoolGeometry {
  planes: number;
  /** The planes as images × channels (1 image for a [C, H, W] input), with their element strides. */
  images: number;
  channels: number;
  imageStride: number;
  channelStride: number;
  /** Element offset of the input's first element (see `planeOffset`). */
  offset: number;
  strideY: number;
  strideX: number;
  height: number;
  width: number;
  kernelH: number;
  kernelW: number;
  stepH: number;
  stepW: number;
  padH: number;
  padW: number;
  outH: number;
  outW: number;
  outShape: number[];
}

/** Output length of one pooled dim, with PyTorch's ceil-mode rule (the last window must start inside). */
function pooledSize(size: number, kernel: number, stride: number, pad: number, ceilMode: boolean): number {
  const span = size + 2 * pad - kernel + (ceilMode ? stride - 1 : 0);
  let out = Math.floor(span / stride) + 1;
  if (ceilMode && (out - 1) * stride >= size + pad) out--;
  return out;
}

function poolGeometry(input: Tensor, options: MaxPool2dOptions, op: string): PoolGeometry {
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new RangeError(`${op}: expected a 3-D (unbatched) or 4-D (batched) input, but got input of size ${formatShape(input.shape)}`);
  }
  if (!isFloating(input.dtype)) throw new TypeError(`${op}: expected a floating-point input, got ${input.dtype}`);
  const [kernelH, kernelW] = toPair(options.kernelSize, 'kernelSize', 1, op);
  const [stepH, stepW] = toPair(options.stride ?? options.kernelSize, 'stride', 1, op);
  const [padH, padW] = toPair(options.padding ?? 0, 'padding', 0, op);
  if (2 * padH > kernelH || 2 * padW > kernelW) {
    throw new RangeError(
      `${op}: pad should be at most half of kernel size, but got padding=${JSON.stringify(options.padding)} and kernelSize=${JSON.stringify(options.kernelSize)}`,
    );
  }
  const lead = input.shape.slice(0, -2);
  const [height, width] = input.shape.slice(-2) as [number, number];
  const ceil = checkFlag(op, 'ceilMode', options.ceilMode) ?? false;
  const outH = pooledSize(height, kernelH, stepH, padH, ceil);
  const outW = pooledSize(width, kernelW, stepW, padW, ceil);
  if (outH < 1 || outW < 1) {
    throw new RangeError(`${op}: input ${formatShape(input.shape)} gives output size ${outH}x${outW}, which is too small`);
  }
  const [strideY, strideX] = input.strides.slice(-2) as [number, number];
  const channels = lead[lead.length - 1]!;
  const [sN, sC] = input.ndim === 4 ? (input.strides as [number, number]) : [0, input.strides[0]!];
  const images = input.ndim === 4 ? input.shape[0]! : 1;
  return {
    planes: images * channels,
    images,
    channels,
    imageStride: sN,
    channelStride: sC,
    offset: input.offset,
    strideY,
    strideX,
    height,
    width,
    kernelH,
    kernelW,
    stepH,
    stepW,
    padH,
    padW,
    outH,
    outW,
    outShape: [...lead, outH, outW],
  };
}

/**
 * 2-D max pooling over [N, C, H, W] or [C, H, W], as `torch.nn.functional.max_pool2d`. The
 * gradient goes to the first maximum of each window (NaN counts as the maximum), as PyTorch's CPU
 * kernel does.
 * @param input - [N, C, H, W] or [C, H, W], float32 or float64, any strides
 * @param options - `kernelSize` (required), `stride`, `padding` and `ceilMode`, see
 *   {@link MaxPool2dOptions}; unknown keys throw
 */
export function maxPool2d(input: Tensor, options: MaxPool2dOptions): Tensor {
  checkOptions('maxPool2d', options, MAX_POOL2D_OPTIONS);
  const geo = poolGeometry(input, options, 'maxPool2d');
  const out = Tensor.empty(geo.outShape, input.dtype);
  const Y = out.data();
  const X = input.storage.array();
  // Argmax of each output as a position h·W + w within its plane (from the arena in a step).
  const argmaxes = Tensor.empty(out.shape, 'int32');
  const argmax = argmaxes.data();
  const { height, width, outH, outW, strideX, kernelH, kernelW, stepH, stepW, padH, padW } = geo;
  const twoByTwo = kernelH === 2 && kernelW === 2 && stepH === 2 && stepW === 2 && padH === 0 && padW === 0;
  if (twoByTwo && strideX === 1 && 2 * outH <= height && 2 * outW <= width) {
    maxPool2x2Kernel.select(input.dtype)(X, input.offset, geo, Y, 0, argmax, 0);
  } else maxPoolWindows(geo, X, Y, argmax);
  return record('maxPool2d', out, [input], (g) => {
    const grad = Tensor.empty(input.shape, input.dtype);
    // The argmaxes are fetched again, not kept from the forward: outside a scope, a pass may have
    // moved their region out and given it to another tensor since (a kept array would read that tensor's bytes).
    maxPoolBackwardKernel.select(input.dtype)(contiguous(g).data(), argmaxes.data(), outH * outW, height * width, grad.data());
    return [grad];
  });
}

/**
 * 2-D average pooling over [N, C, H, W] or [C, H, W], as `torch.nn.functional.avg_pool2d`.
 * Windows are clipped to the padded input; with `countIncludePad` (the default) the padding
 * counts in the divisor, otherwise only the real elements do.
 * @param input - floating-point, [N, C, H, W] or unbatched [C, H, W].
 * @param options - the window, see {@link AvgPool2dOptions}; unknown keys throw.
 */
export function avgPool2d(input: Tensor, options: AvgPool2dOptions): Tensor {
  checkOptions('avgPool2d', options, AVG_POOL2D_OPTIONS);
  const geo = poolGeometry(input, options, 'avgPool2d');
  const includePad = checkFlag('avgPool2d', 'countIncludePad', options.countIncludePad) ?? true;
  const out = Tensor.empty(geo.outShape, input.dtype);
  const Y = out.data();
  const X = input.storage.array();
  const { height, width, outH, outW } = geo;
  // Visits each window's real elements with the window's divisor, in output order.
  const eachWindow = (visit: (o: number, plane: number, y0: number, y1: number, x0: number, x1: number, divisor: number) => void): void => {
    let o = 0;
    for (let plane = 0; plane < geo.planes; plane++) {
      for (let oy = 0; oy < outH; oy++) {
        const top = oy * geo.stepH - geo.padH;
        const bottom = Math.min(top + geo.kernelH, height + geo.padH);
        const y0 = Math.max(top, 0);
        const y1 = Math.min(bottom, height);
        for (let ox = 0; ox < outW; ox++, o++) {
          const left = ox * geo.stepW - geo.padW;
          const right = Math.min(left + geo.kernelW, width + geo.padW);
          const x0 = Math.max(left, 0);
          const x1 = Math.min(right, width);
          const divisor = includePad ? (bottom - top) * (right - left) : (y1 - y0) * (x1 - x0);
          visit(o, plane, y0, y1, x0, x1, divisor);
        }
      }
    }
  };
  eachWindow((o, plane, y0, y1, x0, x1, divisor) => {
    const base = planeOffset(geo, plane);
    let s = 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) s += X[base + y * geo.strideY + x * geo.strideX]!;
    Y[o] = y0 < y1 && x0 < x1 ? s / divisor : 0;
  });
  return record('avgPool2d', out, [input], (g) => {
    const G = contiguous(g).data();
    const grad = Tensor.empty(input.shape, input.dtype);
    const D = grad.data();
    D.fill(0);
    eachWindow((o, plane, y0, y1, x0, x1, divisor) => {
      const share = G[o]! / divisor;
      const base = plane * height * width;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) D[base + y * width + x] = D[base + y * width + x]! + share;
    });
    return [grad];
  });
}

/** Element offset of a plane of the input, in plane order (n-major, then c). */
function planeOffset(geo: PoolGeometry, plane: number): number {
  return geo.offset + Math.floor(plane / geo.channels) * geo.imageStride + (plane % geo.channels) * geo.channelStride;
}

/** Max and first-max position of every window, for any kernel, stride, padding and strides. */
function maxPoolWindows(geo: PoolGeometry, X: TypedArray, Y: TypedArray, argmax: TypedArray): void {
  const { height, width, outH, outW, strideY, strideX, kernelH, kernelW, stepH, stepW, padH, padW } = geo;
  let o = 0;
  for (let plane = 0; plane < geo.planes; plane++) {
    const base = planeOffset(geo, plane);
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * stepH - padH;
      const yStart = Math.max(y0, 0);
      const y1 = Math.min(y0 + kernelH, height);
      for (let ox = 0; ox < outW; ox++, o++) {
        const x0 = ox * stepW - padW;
        const xStart = Math.max(x0, 0);
        const x1 = Math.min(x0 + kernelW, width);
        let best = -Infinity;
        let at = yStart * width + xStart;
        for (let y = yStart; y < y1; y++) {
          const row = base + y * strideY;
          for (let x = xStart; x < x1; x++) {
            const v = X[row + x * strideX]!;
            // v !== v: a NaN counts as the maximum.
            if (v > best || v !== v) {
              best = v;
              at = y * width + x;
            }
          }
        }
        Y[o] = best;
        argmax[o] = at;
      }
    }
  }
}
