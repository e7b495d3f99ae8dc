import type { DType } from '../dtype.js';
import { conv2d, type Size2d, toPair } from '../ops/conv.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { allocateParameter } from './allocate.js';
import { checkFeatures, resetAffine } from './linear.js';
import { pyRepr } from './repr.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';
import { checkFlag, optionKeys, type PositionalOr, positionalOptions } from '../util/options.js';

/** Options of `Conv2d`, as `torch.nn.Conv2d` (groups = 1, zero padding). */
export interface Conv2dModuleOptions {
  stride?: Size2d;
  padding?: Size2d;
  dilation?: Size2d;
  /** Only 1 is supported. */
  groups?: number;
  bias?: boolean;
  dtype?: DType;
  /** Draws the initial values (default: the default generator). */
  generator?: Generator;
}

const CONV2D_MODULE_OPTIONS = optionKeys<Conv2dModuleOptions>({
  stride: true,
  padding: true,
  dilation: true,
  groups: true,
  bias: true,
  dtype: true,
  generator: true,
});

/** PyTorch's positional arguments after the kernel size, in its order. */
type Conv2dPositional = [stride: Size2d, padding: Size2d, dilation: Size2d, groups: number, bias: boolean];

/**
 * 2-D convolution of [N, inChannels, H, W] inputs, as `torch.nn.Conv2d`; weight [out, in, kH, kW].
 * The arguments after the kernel size come positionally in PyTorch's order (stride, padding,
 * dilation, groups, bias) or as options: `new Conv2d(1, 32, 3, 1, 1)` is
 * `new Conv2d(1, 32, 3, { stride: 1, padding: 1 })`.
 */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  weight: Parameter;
  bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Size2d, ...args: PositionalOr<Conv2dPositional, Conv2dModuleOptions>) {
    super();
    const options = positionalOptions<Conv2dModuleOptions>('Conv2d', args, ['stride', 'padding', 'dilation', 'groups', 'bias'], CONV2D_MODULE_OPTIONS);
    const { stride = 1, padding = 0, dilation = 1, groups = 1, dtype = 'float32', generator = defaultGenerator } = options;
    const bias = checkFlag('Conv2d', 'bias', options.bias) ?? true;
    if (groups !== 1) throw new RangeError(`Conv2d: groups other than 1 are not supported yet, got ${String(groups)}`);
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
