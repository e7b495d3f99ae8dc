import type { Size2d } from '../ops/conv.js';
import { avgPool2d, type AvgPool2dOptions, maxPool2d, type MaxPool2dOptions } from '../ops/pooling.js';
import type { Tensor } from '../tensor/tensor.js';
import { pyRepr } from './repr.js';
import { Module } from './module.js';

/** Options of `MaxPool2d`: those of `maxPool2d` but the kernel size. */
export type MaxPool2dModuleOptions = Omit<MaxPool2dOptions, 'kernelSize'>;

/** Options of `AvgPool2d`: those of `avgPool2d` but the kernel size. */
export type AvgPool2dModuleOptions = Omit<AvgPool2dOptions, 'kernelSize'>;

/** A size as given: an int, or a pair as a tuple. */
function sizeRepr(size: Size2d): string {
  return typeof size === 'number' ? String(size) : pyRepr(size);
}

/** The maximum over each window of [N, C, H, W] inputs, as `torch.nn.MaxPool2d`. */
export class MaxPool2d extends Module {
  readonly kernelSize: Size2d;
  readonly stride: Size2d;
  readonly padding: Size2d;
  readonly ceilMode: boolean;

  /**
   * @param kernelSize The window: one size for both dims, or [kH, kW].
   * @param options `stride` (default: the kernel size), `padding`, `ceilMode`.
   */
  constructor(kernelSize: Size2d, { stride, padding = 0, ceilMode = false }: MaxPool2dModuleOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.stride = stride ?? kernelSize;
    this.padding = padding;
    this.ceilMode = ceilMode;
  }

  /** `kernel_size=…, stride=…, padding=…, dilation=1, ceil_mode=…`, as PyTorch. */
  override extraRepr(): string {
    return `kernel_size=${sizeRepr(this.kernelSize)}, stride=${sizeRepr(this.stride)}, padding=${sizeRepr(this.padding)}, dilation=1, ceil_mode=${pyRepr(this.ceilMode)}`;
  }

  forward(input: Tensor): Tensor {
    return maxPool2d(input, { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding, ceilMode: this.ceilMode });
  }
}

/** The mean over each window of [N, C, H, W] inputs, as `torch.nn.AvgPool2d`. */
export class AvgPool2d extends Module {
  readonly kernelSize: Size2d;
  readonly stride: Size2d;
  readonly padding: Size2d;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;

  /**
   * @param kernelSize The window: one size for both dims, or [kH, kW].
   * @param options `stride` (default: the kernel size), `padding`, `ceilMode`, `countIncludePad`.
   */
  constructor(kernelSize: Size2d, { stride, padding = 0, ceilMode = false, countIncludePad = true }: AvgPool2dModuleOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.stride = stride ?? kernelSize;
    this.padding = padding;
    this.ceilMode = ceilMode;
    this.countIncludePad = countIncludePad;
  }

  /** `kernel_size=…, stride=…, padding=…`, as PyTorch. */
  override extraRepr(): string {
    return `kernel_size=${sizeRepr(this.kernelSize)}, stride=${sizeRepr(this.stride)}, padding=${sizeRepr(this.padding)}`;
  }

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
