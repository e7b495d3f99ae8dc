import { record } from '../autograd/record.js';
import { isFloating } from '../dtype.js';
import { col2imKernel, im2colKernel, matmulKernel } from '../kernels/definitions.js';
import type { Im2colGeometry } from '../kernels/js/im2col.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { contiguous, detach } from './copy.js';
import { squeeze, unsqueeze } from './views.js';
import { checkOptions, optionKeys } from '../util/options.js';

/** A size given once for both spatial dims or as [height, width]. */
export type Size2d = number | readonly [number, number];

/** Options of `conv2d`, as `torch.nn.functional.conv2d`. */
export interface Conv2dOptions {
  stride?: Size2d;
  padding?: Size2d;
  dilation?: Size2d;
  /** Only 1 is supported. */
  groups?: number;
}

/** Every option of `conv2d`. */
export const CONV2D_OPTIONS = optionKeys<Conv2dOptions>({ stride: true, padding: true, dilation: true, groups: true });

/** `value` as [height, width], each an integer ≥ `min`. */
export function toPair(value: Size2d, name: string, min: number, op: string): [number, number] {
  const pair: readonly number[] = typeof value === 'number' ? [value, value] : value;
  if (pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v >= min)) {
    throw new RangeError(`${op}: ${name} must be an integer ≥ ${min} or a pair of them, got ${JSON.stringify(value)}`);
  }
  return [pair[0]!, pair[1]!];
}

/**
 * 2-D cross-correlation of input [N, C, H, W] (or unbatched [C, H, W]) with weight
 * [O, C, kH, kW], plus bias [O], as `torch.nn.functional.conv2d` with groups = 1. Computed per
 * image as weight[O, C·kH·kW] · im2col(image) by the matmul kernel; the input gradient goes back
 * through col2im.
 */
export function conv2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv2dOptions = {}): Tensor {
  checkOptions('conv2d', options, CONV2D_OPTIONS);
  if (input.ndim === 3) return squeeze(conv2d(unsqueeze(input, 0), weight, bias, options), 0);
  const geometry = checkConv2d(input, weight, bias, options);
  const [N, C, H, W] = input.shape as [number, number, number, number];
  const O = weight.shape[0]!;
  const K = geometry.channels * geometry.kernelH * geometry.kernelW;
  const P = geometry.outH * geometry.outW;
  const dtype = input.dtype;
  const w = contiguous(detach(weight));
  const im2col = im2colKernel.select(dtype);
  const gemm = matmulKernel.select(dtype);
  const cols = Tensor.empty([K, P], dtype);
  const colData = cols.data();
  const X = input.storage.array();
  const [sN, sC, sH, sW] = input.strides as [number, number, number, number];
  const unfold = (n: number): void => im2col(X, input.offset + n * sN, sC, sH, sW, geometry, colData, 0);

  const out = Tensor.empty([N, O, geometry.outH, geometry.outW], dtype);
  const Y = out.data();
  for (let n = 0; n < N; n++) {
    unfold(n);
    gemm(O, P, K, w.storage.array(), w.offset, K, 1, colData, 0, P, 1, Y, n * O * P, false);
  }
  if (bias) {
    const b = bias.toArray();
    for (let n = 0; n < N; n++) {
      for (let o = 0; o < O; o++) {
        const row = (n * O + o) * P;
        for (let p = 0; p < P; p++) Y[row + p] = Y[row + p]! + b[o]!;
      }
    }
  }

  return record('conv2d', out, bias ? [input, weight, bias] : [input, weight], (g) => {
    const G = contiguous(g).data();
    let gradInput: Tensor | null = null;
    let gradWeight: Tensor | null = null;
    if (input.requiresGrad) {
      gradInput = Tensor.empty(input.shape, dtype);
      const gi = gradInput.data();
      gi.fill(0);
      const col2im = col2imKernel.select(dtype);
      for (let n = 0; n < N; n++) {
        // cols = weightᵀ[K, O] · g[n][O, P], folded back onto the image.
        gemm(K, P, O, w.storage.array(), w.offset, 1, K, G, n * O * P, P, 1, colData, 0, false);
        col2im(colData, 0, geometry, gi, n * C * H * W);
      }
    }
    if (weight.requiresGrad) {
      gradWeight = Tensor.empty(weight.shape, dtype);
      const gw = gradWeight.data();
      gw.fill(0);
      for (let n = 0; n < N; n++) {
        // gradWeight[O, K] += g[n][O, P] · colsᵀ[P, K].
        unfold(n);
        gemm(O, K, P, G, n * O * P, P, 1, colData, 0, 1, P, gw, 0, true);
      }
    }
    return [gradInput, gradWeight, bias?.requiresGrad ? biasGrad(G, bias, N, O, P) : null];
  });
}

/** Validates the operands and returns the per-image geometry. */
function checkConv2d(input: Tensor, weight: Tensor, bias: Tensor | null, options: Conv2dOptions): Im2colGeometry {
  if (options.groups !== undefined && options.groups !== 1) {
    throw new RangeError(`conv2d: groups=${options.groups} is not supported (only groups=1)`);
  }
  if (input.ndim !== 4) {
    throw new RangeError(`conv2d: expected a 3-D (unbatched) or 4-D (batched) input, but got input of size ${formatShape(input.shape)}`);
  }
  if (weight.ndim !== 4) {
    throw new RangeError(`conv2d: weight must be 4-D [out_channels, in_channels, kH, kW], got ${formatShape(weight.shape)}`);
  }
  if (input.dtype !== weight.dtype || !isFloating(input.dtype)) {
    throw new TypeError(`conv2d: input (${input.dtype}) and weight (${weight.dtype}) must have the same floating-point dtype`);
  }
  const [, C, H, W] = input.shape as [number, number, number, number];
  const [O, Cw, kh, kw] = weight.shape as [number, number, number, number];
  if (C !== Cw) {
    throw new RangeError(
      `conv2d: weight of size ${formatShape(weight.shape)} expects input ${formatShape(input.shape)} to have ${Cw} channels, but got ${C} channels instead`,
    );
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== O || bias.dtype !== input.dtype)) {
    throw new RangeError(`conv2d: bias must be [${O}] of dtype ${input.dtype}, got ${formatShape(bias.shape)} of dtype ${bias.dtype}`);
  }
  const [strideH, strideW] = toPair(options.stride ?? 1, 'stride', 1, 'conv2d');
  const [padH, padW] = toPair(options.padding ?? 0, 'padding', 0, 'conv2d');
  const [dilationH, dilationW] = toPair(options.dilation ?? 1, 'dilation', 1, 'conv2d');
  const spanH = dilationH * (kh - 1) + 1;
  const spanW = dilationW * (kw - 1) + 1;
  if (H + 2 * padH < spanH || W + 2 * padW < spanW) {
    throw new RangeError(
      `conv2d: padded input size per channel (${H + 2 * padH} x ${W + 2 * padW}) is smaller than the dilated kernel (${spanH} x ${spanW}) of weight ${formatShape(weight.shape)}`,
    );
  }
  return {
    channels: C,
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
    outH: Math.floor((H + 2 * padH - spanH) / strideH) + 1,
    outW: Math.floor((W + 2 * padW - spanW) / strideW) + 1,
  };
}

function biasGrad(G: ArrayLike<number>, bias: Tensor, N: number, O: number, P: number): Tensor {
  const grad = Tensor.empty([O], bias.dtype);
  const gb = grad.data();
  for (let o = 0; o < O; o++) {
    let s = 0;
    for (let n = 0; n < N; n++) for (let p = 0, row = (n * O + o) * P; p < P; p++) s += G[row + p]!;
    gb[o] = s;
  }
  return grad;
}
