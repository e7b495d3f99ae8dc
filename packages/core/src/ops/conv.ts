import { formatValue } from '../util/format-value.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { type TypedArray, isFloating } from '../dtype.js';
import { addChannelBiasKernel, channelBiasGradKernel, col2imKernel, im2colKernel, matmulKernel } from '../kernels/definitions.js';
import { fillData } from './fill.js';
import type { Im2colGeometry } from '../kernels/js/im2col.js';
import { inArena } from '../memory/context.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, optionKeys } from '../util/options.js';
import { contiguous, detach } from './copy.js';
import { squeeze, unsqueeze } from './views.js';

/** A size given once for both spatial dims or as [height, width]. */
export type Size2d = number | readonly [number, number];

/** Zero padding: per dim, or 'same' (output as large as the input; stride 1) or 'valid' (none). */
export type ConvPadding<S> = S | 'same' | 'valid';

/** Options of `conv2d`, as `torch.nn.functional.conv2d`. */
export interface Conv2dOptions {
  /** Step of the window, `s` or `[sH, sW]` (default 1). */
  stride?: Size2d;
  /** Zero padding of each side, `p` or `[pH, pW]`, or 'same' / 'valid' (default 0). */
  padding?: ConvPadding<Size2d>;
  /** Spacing between the kernel's taps, `d` or `[dH, dW]` (default 1). */
  dilation?: Size2d;
  /** Input and output channels split into this many independent groups (default 1). */
  groups?: number;
}

/** Options of `conv1d`, as `torch.nn.functional.conv1d`. */
export interface Conv1dOptions {
  /** Step of the window (default 1). */
  stride?: number;
  /** Zero padding of each side, or 'same' / 'valid' (default 0). */
  padding?: ConvPadding<number>;
  /** Spacing between the kernel's taps (default 1). */
  dilation?: number;
  /** Input and output channels split into this many independent groups (default 1). */
  groups?: number;
}

/** Every option of `conv2d` (and of `conv1d`). */
export const CONV2D_OPTIONS = optionKeys<Conv2dOptions>({ stride: true, padding: true, dilation: true, groups: true });

/**
 * The most bytes of columns a conv2d keeps from its forward for the weight's gradient (every
 * image's im2col); past it, backward unfolds each image again. W3's LeNet at a micro-batch of 8
 * keeps 1.1 MB, and skips half of its im2col work.
 */
const KEPT_COLUMNS_BYTES = 4 * 2 ** 20;

/** `value` as [height, width], each an integer ≥ `min`. */
export function toPair(value: Size2d, name: string, min: number, op: string): [number, number] {
  const pair: unknown = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && (v as number) >= min)) {
    throw new RangeError(`${op}: ${name} must be an integer ≥ ${min} or a pair of them, got ${formatValue(value)}`);
  }
  return [pair[0] as number, pair[1] as number];
}

/** The per-group geometry of a convolution, and its group count. */
interface ConvGeometry extends Im2colGeometry {
  readonly groups: number;
}

/**
 * 2-D cross-correlation of input [N, C, H, W] (or unbatched [C, H, W]) with weight
 * [O, C/groups, kH, kW], plus bias [O], as `torch.nn.functional.conv2d`. Computed per image and
 * group as weight[O/groups, (C/groups)·kH·kW] · im2col(image) by the matmul kernel; the input
 * gradient goes back through col2im. `padding: 'same'` pads dilation·(k − 1) in total, the odd
 * one on the bottom/right, as PyTorch.
 * @param input - floating-point, [N, C, H, W] or unbatched [C, H, W].
 * @param weight - [O, C/groups, kH, kW], of the input's dtype.
 * @param bias - [O], of the input's dtype, added to each output channel; null (the default): none.
 * @param options - stride, padding, dilation and groups, see {@link Conv2dOptions}; unknown keys throw.
 */
export function conv2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv2dOptions = {}): Tensor {
  checkOptions('conv2d', options, CONV2D_OPTIONS);
  if (input.ndim === 3) return squeeze(conv2d(unsqueeze(input, 0), weight, bias, options), 0);
  const geo = checkConv2d(input, weight, bias, options);
  const [N, C, H, W] = input.shape as [number, number, number, number];
  const O = weight.shape[0]!;
  const { groups } = geo;
  const Og = O / groups;
  const Cg = C / groups;
  const K = Cg * geo.kernelH * geo.kernelW;
  const P = geo.outH * geo.outW;
  const dtype = input.dtype;
  const w = contiguous(detach(weight));
  const Wd = w.storage.array();
  const im2col = im2colKernel.select(dtype);
  const gemm = matmulKernel.select(dtype);
  const X = input.storage.array();
  // Every image's columns, kept for the weight's gradient, when they fit in a step's arena (which
  // frees them with the step; outside one, a pass would copy each dropped one out); else one image's.
  const keep = inArena() && isGradEnabled() && weight.requiresGrad && N * groups * K * P * X.BYTES_PER_ELEMENT <= KEPT_COLUMNS_BYTES;
  const cols = Tensor.empty(keep ? [N * groups, K, P] : [K, P], dtype);
  const colsAt = (n: number, g: number): number => (keep ? (n * groups + g) * K * P : 0);
  const colData = cols.data();
  const [sN, sC, sH, sW] = input.strides as [number, number, number, number];
  const unfold = (image: TypedArray, n: number, g: number, into: TypedArray, at: number): void =>
    im2col(image, input.offset + n * sN + g * Cg * sC, sC, sH, sW, geo, into, at);

  const out = Tensor.empty([N, O, geo.outH, geo.outW], dtype);
  const Y = out.data();
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      unfold(X, n, g, colData, colsAt(n, g));
      gemm(Og, P, K, Wd, w.offset + g * Og * K, K, 1, colData, colsAt(n, g), P, 1, Y, (n * O + g * Og) * P, false);
    }
  }
  if (bias) addBias(Y, bias, N, O, P);

  return record('conv2d', out, bias ? [input, weight, bias] : [input, weight], (grad) => {
    const G = contiguous(grad).data();
    // Fetched again, not kept from the forward: outside a scope, a pass may have moved these
    // regions out and given them to other tensors since (a kept array would read their bytes).
    const X = input.storage.array();
    const Wd = w.storage.array();
    const colData = cols.data();
    let gradInput: Tensor | null = null;
    let gradWeight: Tensor | null = null;
    if (weight.requiresGrad) {
      gradWeight = Tensor.empty(weight.shape, dtype);
      const gw = gradWeight.data();
      fillData(gw, dtype, 0);
      for (let n = 0; n < N; n++) {
        for (let g = 0; g < groups; g++) {
          // gradWeight_g[Og, K] += grad[n, g][Og, P] · colsᵀ[P, K], the columns kept or unfolded again.
          if (!keep) unfold(X, n, g, colData, 0);
          gemm(Og, K, P, G, (n * O + g * Og) * P, P, 1, colData, colsAt(n, g), 1, P, gw, g * Og * K, true);
        }
      }
    }
    if (input.requiresGrad) {
      gradInput = Tensor.empty(input.shape, dtype);
      const gi = gradInput.data();
      fillData(gi, dtype, 0);
      const col2im = col2imKernel.select(dtype);
      // Scratch of one image's columns; kept columns stay as they are for another backward (retainGraph).
      const scratch = keep ? Tensor.empty([K, P], dtype).data() : colData;
      for (let n = 0; n < N; n++) {
        for (let g = 0; g < groups; g++) {
          // cols = weight_gᵀ[K, Og] · grad[n, g][Og, P], folded back onto the group's channels.
          gemm(K, P, Og, Wd, w.offset + g * Og * K, 1, K, G, (n * O + g * Og) * P, P, 1, scratch, 0, false);
          col2im(scratch, 0, geo, gi, (n * C + g * Cg) * H * W);
        }
      }
    }
    return [gradInput, gradWeight, bias?.requiresGrad ? biasGrad(G, bias, N, O, P) : null];
  });
}

/**
 * 1-D cross-correlation of input [N, C, L] (or unbatched [C, L]) with weight [O, C/groups, k],
 * plus bias [O], as `torch.nn.functional.conv1d`: `conv2d` over a height of 1.
 * @param input - floating-point, [N, C, L] or unbatched [C, L].
 * @param weight - [O, C/groups, k], of the input's dtype.
 * @param bias - [O], of the input's dtype, added to each output channel; null (the default): none.
 * @param options - stride, padding, dilation and groups, see {@link Conv1dOptions}; unknown keys throw.
 */
export function conv1d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv1dOptions = {}): Tensor {
  checkOptions('conv1d', options, CONV2D_OPTIONS);
  if (input.ndim !== 2 && input.ndim !== 3) {
    throw new RangeError(`conv1d: expected a 2-D (unbatched) or 3-D (batched) input, but got input of size ${formatShape(input.shape)}`);
  }
  if (weight.ndim !== 3)
    throw new RangeError(`conv1d: weight must be 3-D [out_channels, in_channels/groups, k], got ${formatShape(weight.shape)}`);
  const { stride = 1, padding = 0, dilation = 1, groups = 1 } = options;
  const out = conv2d(unsqueeze(input, -2), unsqueeze(weight, -2), bias, {
    stride: [1, stride],
    padding: typeof padding === 'string' ? padding : [0, padding],
    dilation: [1, dilation],
    groups,
  });
  return squeeze(out, -2);
}

/** y[n, o, ·] += bias[o] over [N, O, P] outputs. */
export function addBias(Y: TypedArray, bias: Tensor, N: number, O: number, P: number): void {
  const b = contiguous(bias);
  addChannelBiasKernel.select(b.dtype)(Y, N, O, P, b.storage.array(), b.offset);
}

/** Validates the operands and returns the per-group, per-image geometry. */
function checkConv2d(input: Tensor, weight: Tensor, bias: Tensor | null, options: Conv2dOptions): ConvGeometry {
  if (input.ndim !== 4) {
    throw new RangeError(`conv2d: expected a 3-D (unbatched) or 4-D (batched) input, but got input of size ${formatShape(input.shape)}`);
  }
  if (weight.ndim !== 4) {
    throw new RangeError(`conv2d: weight must be 4-D [out_channels, in_channels/groups, kH, kW], got ${formatShape(weight.shape)}`);
  }
  if (input.dtype !== weight.dtype || !isFloating(input.dtype)) {
    throw new TypeError(`conv2d: input (${input.dtype}) and weight (${weight.dtype}) must have the same floating-point dtype`);
  }
  const [, C, H, W] = input.shape as [number, number, number, number];
  const [O, Cw, kh, kw] = weight.shape as [number, number, number, number];
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1 || C % groups !== 0 || O % groups !== 0) {
    throw new RangeError(`conv2d: groups=${groups} must be a positive integer dividing the ${C} input and ${O} output channels`);
  }
  if (C / groups !== Cw) {
    throw new RangeError(
      `conv2d: weight of size ${formatShape(weight.shape)} (groups=${groups}) expects input ${formatShape(input.shape)} to have ${Cw * groups} channels, but got ${C} channels instead`,
    );
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== O || bias.dtype !== input.dtype)) {
    throw new RangeError(`conv2d: bias must be [${O}] of dtype ${input.dtype}, got ${formatShape(bias.shape)} of dtype ${bias.dtype}`);
  }
  const [strideH, strideW] = toPair(options.stride ?? 1, 'stride', 1, 'conv2d');
  const [dilationH, dilationW] = toPair(options.dilation ?? 1, 'dilation', 1, 'conv2d');
  const spanH = dilationH * (kh - 1) + 1;
  const spanW = dilationW * (kw - 1) + 1;
  const padding = options.padding ?? 0;
  if (typeof padding === 'string' && padding !== 'same' && padding !== 'valid') {
    throw new RangeError(`conv2d: padding must be 'same', 'valid' or sizes, got '${padding}'`);
  }
  if (padding === 'same' && (strideH !== 1 || strideW !== 1)) {
    throw new RangeError(`conv2d: padding='same' is not supported for strided convolutions (stride ${JSON.stringify(options.stride)})`);
  }
  // 'same': the total dilation·(k − 1) split with the odd one after, so the leading pad is the floor half.
  const [padH, padW] =
    padding === 'same'
      ? [Math.floor((spanH - 1) / 2), Math.floor((spanW - 1) / 2)]
      : padding === 'valid'
        ? [0, 0]
        : toPair(padding, 'padding', 0, 'conv2d');
  const totalH = padding === 'same' ? spanH - 1 : 2 * padH;
  const totalW = padding === 'same' ? spanW - 1 : 2 * padW;
  if (H + totalH < spanH || W + totalW < spanW) {
    throw new RangeError(
      `conv2d: padded input size per channel (${H + totalH} x ${W + totalW}) is smaller than the dilated kernel (${spanH} x ${spanW}) of weight ${formatShape(weight.shape)}`,
    );
  }
  return {
    groups,
    channels: Cw,
    height: H,
    width: W,
    kernelH: kh,
    kernelW: kw,
    strideH,
    strideW,
    padH,
    padW,
    dilationH,
    dilationW,
    outH: Math.floor((H + totalH - spanH) / strideH) + 1,
    outW: Math.floor((W + totalW - spanW) / strideW) + 1,
  };
}

/** The bias gradient: grad summed over images and positions per output channel. */
export function biasGrad(G: TypedArray, bias: Tensor, N: number, O: number, P: number): Tensor {
  const grad = Tensor.empty([O], bias.dtype);
  channelBiasGradKernel.select(bias.dtype)(G, N, O, P, grad.data());
  return grad;
}
