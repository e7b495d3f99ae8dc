import { record } from '../autograd/record.js';
import { isFloating } from '../dtype.js';
import { col2imKernel, im2colKernel, matmulKernel } from '../kernels/definitions.js';
import type { Im2colGeometry } from '../kernels/js/im2col.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { addBias, biasGrad, type Size2d, toPair } from './conv.js';
import { fillData } from './fill.js';
import { contiguous, detach } from './copy.js';
import { squeeze, unsqueeze } from './views.js';

/** Options of `convTranspose2d`, as `torch.nn.functional.conv_transpose2d`. */
export interface ConvTranspose2dOptions {
  /** Step of the window over the output, `s` or `[sH, sW]` (default 1). */
  stride?: Size2d;
  /** Removed from both sides of the output (dilation·(k − 1) − padding zero padding of the input). */
  padding?: Size2d;
  /** Added to one side of the output size (smaller than the stride or the dilation). */
  outputPadding?: Size2d;
  /** Input and output channels split into this many independent groups (default 1). */
  groups?: number;
  /** Spacing between the kernel's taps, `d` or `[dH, dW]` (default 1). */
  dilation?: Size2d;
}

/**
 * The transposed 2-D convolution (the gradient of `conv2d` with respect to its input) of input
 * [N, Cin, H, W] (or unbatched) with weight [Cin, Cout/groups, kH, kW], plus bias [Cout], as
 * `torch.nn.functional.conv_transpose2d`. Output size (H − 1)·stride − 2·padding +
 * dilation·(kH − 1) + outputPadding + 1. Computed per image and group as col2im(weightᵀ · x);
 * its input gradient is the ordinary convolution im2col(grad) under the same geometry.
 * @param input - floating-point, [N, Cin, H, W] or unbatched [Cin, H, W].
 * @param weight - [Cin, Cout/groups, kH, kW], of the input's dtype.
 * @param bias - [Cout], of the input's dtype, added to each output channel; null (the default): none.
 * @param options - stride, padding, outputPadding, groups and dilation, see
 *   {@link ConvTranspose2dOptions}; unknown keys throw.
 */
export function convTranspose2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvTranspose2dOptions = {}): Tensor {
  checkOptions('convTranspose2d', options, ['stride', 'padding', 'outputPadding', 'groups', 'dilation']);
  if (input.ndim === 3) return squeeze(convTranspose2d(unsqueeze(input, 0), weight, bias, options), 0);
  const { geo, groups, Cout } = checkConvTranspose2d(input, weight, bias, options);
  const [N, Cin, H, W] = input.shape as [number, number, number, number];
  const CinG = Cin / groups;
  const CoutG = Cout / groups;
  const KK = CoutG * geo.kernelH * geo.kernelW;
  const HW = H * W;
  const Pout = geo.height * geo.width;
  const dtype = input.dtype;
  const x = contiguous(detach(input));
  const X = x.storage.array();
  const w = contiguous(detach(weight));
  const Wd = w.storage.array();
  const gemm = matmulKernel.select(dtype);
  const cols = Tensor.empty([KK, HW], dtype);
  const colData = cols.data();
  const xAt = (n: number, g: number): number => x.offset + (n * Cin + g * CinG) * HW;
  const wAt = (g: number): number => w.offset + g * CinG * KK;

  const out = Tensor.empty([N, Cout, geo.height, geo.width], dtype);
  const Y = out.data();
  fillData(Y, dtype, 0);
  const col2im = col2imKernel.select(dtype);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      // cols[KK, HW] = weight_gᵀ[KK, CinG] · x[n, g][CinG, HW], scattered onto the output.
      gemm(KK, HW, CinG, Wd, wAt(g), 1, KK, X, xAt(n, g), HW, 1, colData, 0, false);
      col2im(colData, 0, geo, Y, (n * Cout + g * CoutG) * Pout);
    }
  }
  if (bias) addBias(Y, bias, N, Cout, Pout);

  return record('convTranspose2d', out, bias ? [input, weight, bias] : [input, weight], (grad) => {
    const G = contiguous(grad).data();
    // Fetched again, not kept from the forward: outside a scope, a pass may have moved these
    // regions out and given them to other tensors since (a kept array would read their bytes).
    const X = x.storage.array();
    const Wd = w.storage.array();
    const colData = cols.data();
    const im2col = im2colKernel.select(dtype);
    const gradInput = input.requiresGrad ? Tensor.empty(input.shape, dtype) : null;
    const gradWeight = weight.requiresGrad ? Tensor.empty(weight.shape, dtype) : null;
    if (gradWeight) fillData(gradWeight.data(), dtype, 0);
    for (let n = 0; n < N; n++) {
      for (let g = 0; g < groups; g++) {
        im2col(G, (n * Cout + g * CoutG) * Pout, Pout, geo.width, 1, geo, colData, 0);
        // gradInput[n, g][CinG, HW] = weight_g[CinG, KK] · cols[KK, HW].
        if (gradInput) gemm(CinG, HW, KK, Wd, wAt(g), KK, 1, colData, 0, HW, 1, gradInput.data(), (n * Cin + g * CinG) * HW, false);
        // gradWeight_g[CinG, KK] += x[n, g][CinG, HW] · colsᵀ[HW, KK].
        if (gradWeight) gemm(CinG, KK, HW, X, xAt(n, g), HW, 1, colData, 0, 1, HW, gradWeight.data(), g * CinG * KK, true);
      }
    }
    return [gradInput, gradWeight, bias?.requiresGrad ? biasGrad(G, bias, N, Cout, Pout) : null];
  });
}

/**
 * Validates the operands; the geometry is that of the forward convolution whose input gradient
 * this is: its "image" is the output [CoutG, outH, outW], its positions the input's H × W.
 */
function checkConvTranspose2d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  options: ConvTranspose2dOptions,
): { geo: Im2colGeometry; groups: number; Cout: number } {
  const op = 'convTranspose2d';
  if (input.ndim !== 4)
    throw new RangeError(`${op}: expected a 3-D (unbatched) or 4-D (batched) input, but got input of size ${formatShape(input.shape)}`);
  if (weight.ndim !== 4)
    throw new RangeError(`${op}: weight must be 4-D [in_channels, out_channels/groups, kH, kW], got ${formatShape(weight.shape)}`);
  if (input.dtype !== weight.dtype || !isFloating(input.dtype)) {
    throw new TypeError(`${op}: input (${input.dtype}) and weight (${weight.dtype}) must have the same floating-point dtype`);
  }
  const [, Cin, H, W] = input.shape as [number, number, number, number];
  const [Cw, CoutG, kh, kw] = weight.shape as [number, number, number, number];
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1 || Cin % groups !== 0) {
    throw new RangeError(`${op}: groups=${groups} must be a positive integer dividing the ${Cin} input channels`);
  }
  if (Cw !== Cin) {
    throw new RangeError(
      `${op}: weight of size ${formatShape(weight.shape)} expects input ${formatShape(input.shape)} to have ${Cw} channels, but got ${Cin} channels instead`,
    );
  }
  const Cout = CoutG * groups;
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== Cout || bias.dtype !== input.dtype)) {
    throw new RangeError(`${op}: bias must be [${Cout}] of dtype ${input.dtype}, got ${formatShape(bias.shape)} of dtype ${bias.dtype}`);
  }
  const [strideH, strideW] = toPair(options.stride ?? 1, 'stride', 1, op);
  const [padH, padW] = toPair(options.padding ?? 0, 'padding', 0, op);
  const [dilationH, dilationW] = toPair(options.dilation ?? 1, 'dilation', 1, op);
  const [opH, opW] = toPair(options.outputPadding ?? 0, 'outputPadding', 0, op);
  if ((opH >= strideH && opH >= dilationH) || (opW >= strideW && opW >= dilationW)) {
    throw new RangeError(`${op}: outputPadding ${JSON.stringify(options.outputPadding)} must be smaller than either stride or dilation`);
  }
  const height = (H - 1) * strideH - 2 * padH + dilationH * (kh - 1) + opH + 1;
  const width = (W - 1) * strideW - 2 * padW + dilationW * (kw - 1) + opW + 1;
  if (height < 1 || width < 1)
    throw new RangeError(`${op}: input ${formatShape(input.shape)} gives an output of ${height} x ${width}, which is too small`);
  const geo = {
    channels: CoutG,
    height,
    width,
    kernelH: kh,
    kernelW: kw,
    strideH,
    strideW,
    padH,
    padW,
    dilationH,
    dilationW,
    outH: H,
    outW: W,
  };
  return { geo, groups, Cout };
}
