import type { DType } from '../dtype.js';
import { conv2d, type Size2d, toPair } from '../ops/conv.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { allocateParameter } from './allocate.js';
import { checkFeatures, resetAffine } from './linear.js';
import { pyRepr } from './repr.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';

/** Options of `Conv2d`, as `torch.nn.Conv2d` (groups = 1, zero padding). */
export interface Conv2dModuleOptions {
  stride?: Size2d;
  padding?: Size2d;
  dilation?: Size2d;
  bias?: boolean;
  dtype?: DType;
  /** Draws the initial values (default: the default generator). */
  generator?: Generator;
}

/** 2-D convolution of [N, inChannels, H, W] inputs, as `torch.nn.Conv2d`; weight [out, in, kH, kW]. */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  weight: Parameter;
  bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Size2d, options: Conv2dModuleOptions = {}) {
    super();
    const { stride = 1, padding = 0, dilation = 1, bias = true, dtype = 'float32', generator = defaultGenerator } = options;
    checkFeatures('Conv2d', inChannels, outChannels);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = toPair(kernelSize, 'kernelSize', 1, 'Conv2d');
    this.stride = toPair(stride, 'stride', 1, 'Conv2d');
    this.padding = toPair(padding, 'padding', 0, 'Conv2d');
    this.dilation = toPair(dilation, 'dilation', 1, 'Conv2d');
    this.weight = allocateParameter([outChannels, inChannels, ...this.kernelSize], dtype);
    this.bias = bias ? allocateParameter([outChannels], dtype) : null;
    resetAffine(this.weight, this.bias, generator);
  }

  /** `in, out, kernel_size=…, stride=…` and the settings that differ from the defaults, as PyTorch. */
  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}`;
    if (this.padding.some((p) => p !== 0)) s += `, padding=${pyRepr(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyRepr(this.dilation)}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }

  forward(input: Tensor): Tensor {
    return conv2d(input, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation });
  }
}
