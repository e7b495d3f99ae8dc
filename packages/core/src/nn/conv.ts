import { formatValue } from '../util/format-value.js';
import type { DType } from '../dtype.js';
import { type ConvPadding, conv1d, conv2d, type Size2d, toPair } from '../ops/conv.js';
import { convTranspose2d } from '../ops/conv-transpose.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { type PositionalOr, positionalOptions } from '../util/options.js';
import { allocateParameter } from './allocate.js';
import { checkFeatures, resetAffine } from './linear.js';
import { pyRepr } from './repr.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';

/** Options every convolution module shares. */
interface ConvCommonOptions {
  /** Channels split into this many independent groups (default 1). */
  groups?: number;
  /** Learn an additive bias [outChannels] (default true). */
  bias?: boolean;
  /** The floating dtype of weight and bias (default 'float32'). */
  dtype?: DType;
  /** Draws the initial values (default: the default generator). */
  generator?: Generator;
}

/** Options of `Conv2d`, as `torch.nn.Conv2d` (zero padding). */
export interface Conv2dModuleOptions extends ConvCommonOptions {
  /** Step of the window, `s` or `[sH, sW]` (default 1). */
  stride?: Size2d;
  /** Zero padding of each side, `p` or `[pH, pW]`, or 'same' / 'valid' (default 0). */
  padding?: ConvPadding<Size2d>;
  /** Spacing between the kernel's taps, `d` or `[dH, dW]` (default 1). */
  dilation?: Size2d;
}

/** Options of `Conv1d`, as `torch.nn.Conv1d` (zero padding). */
export interface Conv1dModuleOptions extends ConvCommonOptions {
  /** Step of the window (default 1). */
  stride?: number;
  /** Zero padding of each side, or 'same' / 'valid' (default 0). */
  padding?: ConvPadding<number>;
  /** Spacing between the kernel's taps (default 1). */
  dilation?: number;
}

/** Options of `ConvTranspose2d`, as `torch.nn.ConvTranspose2d`. */
export interface ConvTranspose2dModuleOptions extends ConvCommonOptions {
  /** Step of the window over the output, `s` or `[sH, sW]` (default 1). */
  stride?: Size2d;
  /** Removed from both sides of the output (default 0). */
  padding?: Size2d;
  /** Added to one side of the output size, smaller than the stride or the dilation (default 0). */
  outputPadding?: Size2d;
  /** Spacing between the kernel's taps (default 1). */
  dilation?: Size2d;
}

const CONV_KEYS = ['stride', 'padding', 'dilation', 'groups', 'bias', 'dtype', 'generator'] as const;

/** PyTorch's positional arguments of Conv2d after the kernel size, in its order. */
type Conv2dPositional = [stride: Size2d, padding: ConvPadding<Size2d>, dilation: Size2d, groups: number, bias: boolean];
/** PyTorch's positional arguments of Conv1d after the kernel size, in its order. */
type Conv1dPositional = [stride: number, padding: ConvPadding<number>, dilation: number, groups: number, bias: boolean];
/** PyTorch's positional arguments of ConvTranspose2d after the kernel size, in its order (dilation last). */
type ConvTranspose2dPositional = [stride: Size2d, padding: Size2d, outputPadding: Size2d, groups: number, bias: boolean, dilation: Size2d];

/**
 * Throws, as PyTorch's modules do at construction, on a padding string other than 'same' and
 * 'valid', and on 'same' with a stride (the output could not be as large as the input).
 */
function checkPaddingString(owner: string, padding: unknown, stride: readonly number[]): void {
  if (typeof padding !== 'string') return;
  if (padding !== 'same' && padding !== 'valid') {
    throw new RangeError(`${owner}: Invalid padding string '${padding}', should be one of {'valid', 'same'}`);
  }
  if (padding === 'same' && stride.some((s) => s !== 1)) {
    throw new RangeError(`${owner}: padding='same' is not supported for strided convolutions`);
  }
}

/** Throws unless `value` is an integer ≥ `min` (a Conv1d size); returns it. */
function checkSize(owner: string, name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${owner}: ${name} must be an integer ≥ ${min}, got ${formatValue(value)}`);
  }
  return value;
}

/** Checks the channel counts against `groups` and allocates PyTorch-initialised weight and bias. */
function convParameters(
  owner: string,
  inChannels: number,
  outChannels: number,
  weightShape: number[],
  { groups = 1, bias = true, dtype = 'float32', generator = defaultGenerator }: ConvCommonOptions,
): { weight: Parameter; bias: Parameter | null } {
  checkFeatures(owner, inChannels, outChannels);
  if (!Number.isInteger(groups) || groups < 1 || inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new RangeError(
      `${owner}: groups=${groups} must be a positive integer dividing inChannels (${inChannels}) and outChannels (${outChannels})`,
    );
  }
  const weight = allocateParameter(weightShape, dtype);
  const b = bias ? allocateParameter([outChannels], dtype) : null;
  resetAffine(weight, b, generator);
  return { weight, bias: b };
}

/** 1-D convolution of [N, inChannels, L] inputs, as `torch.nn.Conv1d`; weight [out, in/groups, k]. */
export class Conv1d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: ConvPadding<number>;
  readonly dilation: number;
  readonly groups: number;
  weight: Parameter;
  bias: Parameter | null;

  /**
   * @param inChannels - C of the [N, C, L] input; divisible by `groups`.
   * @param outChannels - channels of the output; divisible by `groups`.
   * @param kernelSize - k, the kernel length.
   * @param args - optional `stride` (default 1), `padding` (default 0; or 'same', 'valid'),
   *   `dilation` (default 1), `groups` (default 1), `bias` (default true) in PyTorch's order
   *   (`new Conv1d(1, 8, 3, 1, 1)`), then optionally {@link Conv1dModuleOptions} last; unknown keys throw.
   */
  constructor(inChannels: number, outChannels: number, kernelSize: number, ...args: PositionalOr<Conv1dPositional, Conv1dModuleOptions>) {
    super();
    const options = positionalOptions<Conv1dModuleOptions>('Conv1d', args, ['stride', 'padding', 'dilation', 'groups', 'bias'], CONV_KEYS);
    const { stride = 1, padding = 0, dilation = 1, groups = 1 } = options;
    checkFeatures('Conv1d', kernelSize);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelSize;
    this.stride = checkSize('Conv1d', 'stride', stride, 1);
    checkPaddingString('Conv1d', padding, [this.stride]);
    this.padding = typeof padding === 'string' ? padding : checkSize('Conv1d', 'padding', padding, 0);
    this.dilation = checkSize('Conv1d', 'dilation', dilation, 1);
    this.groups = groups;
    ({ weight: this.weight, bias: this.bias } = convParameters(
      'Conv1d',
      inChannels,
      outChannels,
      [outChannels, inChannels / groups, kernelSize],
      options,
    ));
  }

  /**
   * Convolves `input` with `weight` and adds `bias`, as {@link conv1d}.
   * @param input - [N, inChannels, L] or unbatched [inChannels, L], of the weight's dtype.
   */
  forward(input: Tensor): Tensor {
    return conv1d(input, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }
}

/** 2-D convolution of [N, inChannels, H, W] inputs, as `torch.nn.Conv2d`; weight [out, in/groups, kH, kW]. */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: ConvPadding<[number, number]>;
  readonly dilation: [number, number];
  readonly groups: number;
  weight: Parameter;
  bias: Parameter | null;

  /**
   * The arguments after the kernel size come positionally in PyTorch's order (stride, padding,
   * dilation, groups, bias) or as options: `new Conv2d(1, 32, 3, 1, 1)` is
   * `new Conv2d(1, 32, 3, { stride: 1, padding: 1 })`.
   * @param inChannels - C of the [N, C, H, W] input; divisible by `groups`.
   * @param outChannels - channels of the output; divisible by `groups`.
   * @param kernelSize - the kernel, `k` or `[kH, kW]`; each ≥ 1.
   * @param args - optional `stride` (default 1), `padding` (default 0; or 'same', 'valid'),
   *   `dilation` (default 1), `groups` (default 1), `bias` (default true) in PyTorch's order, then
   *   optionally {@link Conv2dModuleOptions} last; unknown keys throw.
   */
  constructor(inChannels: number, outChannels: number, kernelSize: Size2d, ...args: PositionalOr<Conv2dPositional, Conv2dModuleOptions>) {
    super();
    const options = positionalOptions<Conv2dModuleOptions>('Conv2d', args, ['stride', 'padding', 'dilation', 'groups', 'bias'], CONV_KEYS);
    const { stride = 1, padding = 0, dilation = 1, groups = 1 } = options;
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = toPair(kernelSize, 'kernelSize', 1, 'Conv2d');
    this.stride = toPair(stride, 'stride', 1, 'Conv2d');
    checkPaddingString('Conv2d', padding, this.stride);
    this.padding = typeof padding === 'string' ? padding : toPair(padding, 'padding', 0, 'Conv2d');
    this.dilation = toPair(dilation, 'dilation', 1, 'Conv2d');
    this.groups = groups;
    ({ weight: this.weight, bias: this.bias } = convParameters(
      'Conv2d',
      inChannels,
      outChannels,
      [outChannels, inChannels / groups, ...this.kernelSize],
      options,
    ));
  }

  /** `in, out, kernel_size=…, stride=…` and the settings that differ from the defaults, as PyTorch. */
  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${pyRepr(this.padding)}`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${pyRepr(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyRepr(this.dilation)}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }

  /**
   * Convolves `input` with `weight` and adds `bias`, as {@link conv2d}.
   * @param input - [N, inChannels, H, W] or unbatched [inChannels, H, W], of the weight's dtype.
   */
  forward(input: Tensor): Tensor {
    return conv2d(input, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }
}

/**
 * Transposed 2-D convolution of [N, inChannels, H, W] inputs, as `torch.nn.ConvTranspose2d`;
 * weight [in, out/groups, kH, kW].
 */
export class ConvTranspose2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly outputPadding: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;
  weight: Parameter;
  bias: Parameter | null;

  /**
   * @param inChannels - C of the [N, C, H, W] input; divisible by `groups`.
   * @param outChannels - channels of the output; divisible by `groups`.
   * @param kernelSize - the kernel, `k` or `[kH, kW]`; each ≥ 1.
   * @param args - optional `stride` (default 1), `padding` (default 0), `outputPadding` (default 0),
   *   `groups` (default 1), `bias` (default true), `dilation` (default 1) in PyTorch's order
   *   (`new ConvTranspose2d(16, 8, 3, 2, 1, 1)`), then optionally {@link ConvTranspose2dModuleOptions}
   *   last; unknown keys throw.
   */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size2d,
    ...args: PositionalOr<ConvTranspose2dPositional, ConvTranspose2dModuleOptions>
  ) {
    super();
    const options = positionalOptions<ConvTranspose2dModuleOptions>(
      'ConvTranspose2d',
      args,
      ['stride', 'padding', 'outputPadding', 'groups', 'bias', 'dilation'],
      [...CONV_KEYS, 'outputPadding'],
    );
    const { stride = 1, padding = 0, outputPadding = 0, dilation = 1, groups = 1 } = options;
    const op = 'ConvTranspose2d';
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = toPair(kernelSize, 'kernelSize', 1, op);
    this.stride = toPair(stride, 'stride', 1, op);
    this.padding = toPair(padding, 'padding', 0, op);
    this.outputPadding = toPair(outputPadding, 'outputPadding', 0, op);
    this.dilation = toPair(dilation, 'dilation', 1, op);
    this.groups = groups;
    ({ weight: this.weight, bias: this.bias } = convParameters(
      op,
      inChannels,
      outChannels,
      [inChannels, outChannels / groups, ...this.kernelSize],
      options,
    ));
  }

  /**
   * The transposed convolution of `input` with `weight`, plus `bias`, as {@link convTranspose2d}.
   * @param input - [N, inChannels, H, W] or unbatched [inChannels, H, W], of the weight's dtype.
   */
  forward(input: Tensor): Tensor {
    return convTranspose2d(input, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      outputPadding: this.outputPadding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }
}
