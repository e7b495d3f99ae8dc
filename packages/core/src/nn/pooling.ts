import { type Size2d, toPair } from '../ops/conv.js';
import { avgPool2d, type AvgPool2dOptions, maxPool2d, type MaxPool2dOptions } from '../ops/pooling.js';
import type { Tensor } from '../tensor/tensor.js';
import { pyRepr } from './repr.js';
import { Module } from './module.js';
import { adaptiveAvgPool2d, type AdaptiveSize2d, checkAdaptiveSize } from '../ops/adaptive-pool.js';
import { avgPool1d, maxPool1d } from '../ops/pooling1d.js';
import { checkFlag, checkNoArguments, optionKeys, type PositionalOr, positionalOptions } from '../util/options.js';

/** Checks a window's sizes when the module is built (the functional op would only at the first forward). */
function checkWindow(owner: string, kernelSize: Size2d, stride: Size2d, padding: Size2d): void {
  toPair(kernelSize, 'kernelSize', 1, owner);
  toPair(stride, 'stride', 1, owner);
  toPair(padding, 'padding', 0, owner);
}

/** Options of `MaxPool2d`: those of `maxPool2d` but the kernel size. */
export type MaxPool2dModuleOptions = Omit<MaxPool2dOptions, 'kernelSize'>;

/** Options of `AvgPool2d`: those of `avgPool2d` but the kernel size. */
export type AvgPool2dModuleOptions = Omit<AvgPool2dOptions, 'kernelSize'>;

/** A size as given: an int, or a pair as a tuple. */
function sizeRepr(size: Size2d): string {
  return typeof size === 'number' ? String(size) : pyRepr(size);
}

const MAX_POOL2D_MODULE_OPTIONS = optionKeys<MaxPool2dModuleOptions>({ stride: true, padding: true, ceilMode: true });
const AVG_POOL2D_MODULE_OPTIONS = optionKeys<AvgPool2dModuleOptions>({
  stride: true,
  padding: true,
  ceilMode: true,
  countIncludePad: true,
});

/**
 * The maximum over each window of [N, C, H, W] inputs, as `torch.nn.MaxPool2d`. Stride and padding
 * may come positionally as in PyTorch (`new MaxPool2d(3, 2, 1)`); PyTorch's further positional
 * arguments (dilation, return_indices) are not supported: give `ceilMode` as an option.
 */
export class MaxPool2d extends Module {
  readonly kernelSize: Size2d;
  readonly stride: Size2d;
  readonly padding: Size2d;
  readonly ceilMode: boolean;

  /**
   * @param kernelSize - the window, `k` or `[kH, kW]`; each ≥ 1.
   * @param args - optional `stride` (default: the kernel size) and `padding` (implicit −∞ on both
   *   sides, default 0, at most half the kernel) in PyTorch's order, then optionally
   *   {@link MaxPool2dModuleOptions} last; unknown keys throw.
   */
  constructor(kernelSize: Size2d, ...args: PositionalOr<[stride: Size2d, padding: Size2d], MaxPool2dModuleOptions>) {
    super();
    const options = positionalOptions<MaxPool2dModuleOptions>('MaxPool2d', args, ['stride', 'padding'], MAX_POOL2D_MODULE_OPTIONS);
    const { stride, padding = 0 } = options;
    const ceilMode = checkFlag('MaxPool2d', 'ceilMode', options.ceilMode) ?? false;
    this.kernelSize = kernelSize;
    this.stride = stride ?? kernelSize;
    this.padding = padding;
    checkWindow('MaxPool2d', this.kernelSize, this.stride, this.padding);
    this.ceilMode = ceilMode;
  }

  /** `kernel_size=…, stride=…, padding=…, dilation=1, ceil_mode=…`, as PyTorch. */
  override extraRepr(): string {
    return `kernel_size=${sizeRepr(this.kernelSize)}, stride=${sizeRepr(this.stride)}, padding=${sizeRepr(this.padding)}, dilation=1, ceil_mode=${pyRepr(this.ceilMode)}`;
  }

  /**
   * Max-pools `input`, as {@link maxPool2d}.
   * @param input - floating-point, [N, C, H, W] or unbatched [C, H, W].
   */
  forward(input: Tensor): Tensor {
    return maxPool2d(input, { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding, ceilMode: this.ceilMode });
  }
}

/**
 * The mean over each window of [N, C, H, W] inputs, as `torch.nn.AvgPool2d`. The arguments after
 * the kernel size may come positionally in PyTorch's order: stride, padding, ceilMode, countIncludePad.
 */
export class AvgPool2d extends Module {
  readonly kernelSize: Size2d;
  readonly stride: Size2d;
  readonly padding: Size2d;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;

  /**
   * @param kernelSize - the window, `k` or `[kH, kW]`; each ≥ 1.
   * @param args - optional `stride` (default: the kernel size), `padding` (zeros on both sides,
   *   default 0, at most half the kernel), `ceilMode` (default false) and `countIncludePad` (default
   *   true) in PyTorch's order, then optionally {@link AvgPool2dModuleOptions} last; unknown keys throw.
   */
  constructor(
    kernelSize: Size2d,
    ...args: PositionalOr<[stride: Size2d, padding: Size2d, ceilMode: boolean, countIncludePad: boolean], AvgPool2dModuleOptions>
  ) {
    super();
    const positional = ['stride', 'padding', 'ceilMode', 'countIncludePad'] as const;
    const options = positionalOptions<AvgPool2dModuleOptions>('AvgPool2d', args, positional, AVG_POOL2D_MODULE_OPTIONS);
    const { stride, padding = 0 } = options;
    const ceilMode = checkFlag('AvgPool2d', 'ceilMode', options.ceilMode) ?? false;
    const countIncludePad = checkFlag('AvgPool2d', 'countIncludePad', options.countIncludePad) ?? true;
    this.kernelSize = kernelSize;
    this.stride = stride ?? kernelSize;
    this.padding = padding;
    checkWindow('AvgPool2d', this.kernelSize, this.stride, this.padding);
    this.ceilMode = ceilMode;
    this.countIncludePad = countIncludePad;
  }

  /** `kernel_size=…, stride=…, padding=…`, as PyTorch. */
  override extraRepr(): string {
    return `kernel_size=${sizeRepr(this.kernelSize)}, stride=${sizeRepr(this.stride)}, padding=${sizeRepr(this.padding)}`;
  }

  /**
   * Average-pools `input`, as {@link avgPool2d}.
   * @param input - floating-point, [N, C, H, W] or unbatched [C, H, W].
   */
  forward(input: Tensor): Tensor {
    return avgPool2d(input, {
      kernelSize: this.kernelSize,
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
    });
  }
}

/** Options of `MaxPool1d`, as `torch.nn.MaxPool1d`. */
export interface MaxPool1dModuleOptions {
  /** Defaults to the kernel size. */
  stride?: number;
  /** Implicit −∞ padding on both sides (default 0); at most half the kernel. */
  padding?: number;
  /** Spacing between the taps of a window (default 1). */
  dilation?: number;
  /** Round the output length up instead of down (default false). */
  ceilMode?: boolean;
}

/** Options of `AvgPool1d`, as `torch.nn.AvgPool1d`. */
export interface AvgPool1dModuleOptions {
  /** Defaults to the kernel size. */
  stride?: number;
  /** Zero padding on both sides (default 0); at most half the kernel. */
  padding?: number;
  /** Round the output length up instead of down (default false). */
  ceilMode?: boolean;
  /** Whether zero padding counts in the divisor (default true). */
  countIncludePad?: boolean;
}

const MAX_POOL1D_MODULE_OPTIONS = optionKeys<MaxPool1dModuleOptions>({ stride: true, padding: true, dilation: true, ceilMode: true });
const AVG_POOL1D_MODULE_OPTIONS = optionKeys<AvgPool1dModuleOptions>({
  stride: true,
  padding: true,
  ceilMode: true,
  countIncludePad: true,
});

/**
 * The maximum over each window of [N, C, L] inputs, as `torch.nn.MaxPool1d`. Stride, padding and
 * dilation may come positionally as in PyTorch (`new MaxPool1d(2, 2)`); PyTorch's next positional
 * argument (return_indices) is not supported: give `ceilMode` as an option.
 */
export class MaxPool1d extends Module {
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
  readonly ceilMode: boolean;

  /**
   * @param kernelSize - the window length, an integer ≥ 1.
   * @param args - optional `stride` (default: the kernel size), `padding` (default 0) and `dilation`
   *   (default 1) in PyTorch's order, then optionally {@link MaxPool1dModuleOptions} last; unknown keys throw.
   */
  constructor(
    readonly kernelSize: number,
    ...args: PositionalOr<[stride: number, padding: number, dilation: number], MaxPool1dModuleOptions>
  ) {
    super();
    const options = positionalOptions<MaxPool1dModuleOptions>(
      'MaxPool1d',
      args,
      ['stride', 'padding', 'dilation'],
      MAX_POOL1D_MODULE_OPTIONS,
    );
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    checkWindow('MaxPool1d', this.kernelSize, this.stride, this.padding);
    toPair(this.dilation, 'dilation', 1, 'MaxPool1d');
    this.ceilMode = checkFlag('MaxPool1d', 'ceilMode', options.ceilMode) ?? false;
  }

  /**
   * Max-pools `input`, as {@link maxPool1d}.
   * @param input - floating-point, [N, C, L] or unbatched [C, L].
   */
  forward(input: Tensor): Tensor {
    const { kernelSize, stride, padding, dilation, ceilMode } = this;
    return maxPool1d(input, { kernelSize, stride, padding, dilation, ceilMode });
  }
}

/**
 * The mean over each window of [N, C, L] inputs, as `torch.nn.AvgPool1d`. The arguments after the
 * kernel size may come positionally in PyTorch's order: stride, padding, ceilMode, countIncludePad
 * (`new AvgPool1d(3, 1, 1)`).
 */
export class AvgPool1d extends Module {
  readonly stride: number;
  readonly padding: number;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;

  /**
   * @param kernelSize - the window length, an integer ≥ 1.
   * @param args - optional `stride` (default: the kernel size), `padding` (default 0), `ceilMode`
   *   (default false) and `countIncludePad` (default true) in PyTorch's order, then optionally
   *   {@link AvgPool1dModuleOptions} last; unknown keys throw.
   */
  constructor(
    readonly kernelSize: number,
    ...args: PositionalOr<[stride: number, padding: number, ceilMode: boolean, countIncludePad: boolean], AvgPool1dModuleOptions>
  ) {
    super();
    const positional = ['stride', 'padding', 'ceilMode', 'countIncludePad'] as const;
    const options = positionalOptions<AvgPool1dModuleOptions>('AvgPool1d', args, positional, AVG_POOL1D_MODULE_OPTIONS);
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    checkWindow('AvgPool1d', this.kernelSize, this.stride, this.padding);
    this.ceilMode = checkFlag('AvgPool1d', 'ceilMode', options.ceilMode) ?? false;
    this.countIncludePad = checkFlag('AvgPool1d', 'countIncludePad', options.countIncludePad) ?? true;
  }

  /**
   * Average-pools `input`, as {@link avgPool1d}.
   * @param input - floating-point, [N, C, L] or unbatched [C, L].
   */
  forward(input: Tensor): Tensor {
    const { kernelSize, stride, padding, ceilMode, countIncludePad } = this;
    return avgPool1d(input, { kernelSize, stride, padding, ceilMode, countIncludePad });
  }
}

/** Average pooling of [N, C, H, W] inputs to a fixed output size, as `torch.nn.AdaptiveAvgPool2d`. */
export class AdaptiveAvgPool2d extends Module {
  /**
   * @param outputSize - the output [H, W]: one size for both, or a pair where `null` keeps the
   *   input's size along that dim.
   * @param extra - arguments past those taken: none are, so any throws rather than being ignored
   */
  constructor(
    readonly outputSize: AdaptiveSize2d,
    ...extra: never[]
  ) {
    super();
    checkNoArguments('AdaptiveAvgPool2d', extra, 'the output size');
    checkAdaptiveSize('AdaptiveAvgPool2d', outputSize);
  }

  /**
   * Average-pools `input` to `outputSize`, as {@link adaptiveAvgPool2d}.
   * @param input - floating-point, [N, C, H, W] or unbatched [C, H, W].
   */
  forward(input: Tensor): Tensor {
    return adaptiveAvgPool2d(input, this.outputSize);
  }
}
