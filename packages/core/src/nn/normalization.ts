import { formatValue } from '../util/format-value.js';
import type { DType } from '../dtype.js';
import { groupNorm } from '../ops/batch-norm.js';
import { layerNorm } from '../ops/layer-norm.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkFlag, optionKeys, type PositionalOr, positionalOptions } from '../util/options.js';
import { allocateParameter } from './allocate.js';
import { ones_, zeros_ } from './init.js';
import { pyFloat, pyRepr } from './repr.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';

/** Options of `LayerNorm`, as `torch.nn.LayerNorm`. */
export interface LayerNormOptions {
  /** Added to the variance before its square root (default 1e-5, ≥ 0). */
  eps?: number;
  /** Learn a per-element scale (and shift, unless `bias` is false). */
  elementwiseAffine?: boolean;
  /** Learn the shift too, when `elementwiseAffine` (default true). */
  bias?: boolean;
  /** The floating dtype of weight and bias (default 'float32'). */
  dtype?: DType;
}

const LAYER_NORM_OPTIONS = optionKeys<LayerNormOptions>({ eps: true, elementwiseAffine: true, bias: true, dtype: true });

/**
 * Normalises over the last dims (`normalizedShape`) to zero mean and unit variance, then scales and
 * shifts. `eps`, `elementwiseAffine` and `bias` may come positionally, in PyTorch's order.
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  /**
   * @param normalizedShape - the trailing dims normalised over, e.g. `E` or `[H, W]`; also the shape
   *   of the weight and bias.
   * @param args - optional `eps` (default 1e-5), `elementwiseAffine` (default true) and `bias`
   *   (default true) in PyTorch's order, then optionally {@link LayerNormOptions} last; unknown keys throw.
   */
  constructor(
    normalizedShape: number | readonly number[],
    ...args: PositionalOr<[eps: number, elementwiseAffine: boolean, bias: boolean], LayerNormOptions>
  ) {
    super();
    const options = positionalOptions<LayerNormOptions>('LayerNorm', args, ['eps', 'elementwiseAffine', 'bias'], LAYER_NORM_OPTIONS);
    const { eps = 1e-5, dtype = 'float32' } = options;
    const elementwiseAffine = checkFlag('LayerNorm', 'elementwiseAffine', options.elementwiseAffine) ?? true;
    const bias = checkFlag('LayerNorm', 'bias', options.bias) ?? true;
    if (typeof eps !== 'number' || !(eps >= 0)) throw new RangeError(`LayerNorm: eps must be a number >= 0, got ${formatValue(eps)}`);
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new RangeError(`LayerNorm: normalizedShape must hold non-negative integers, got [${shape.join(',')}]`);
    }
    this.normalizedShape = shape;
    this.eps = eps;
    this.elementwiseAffine = elementwiseAffine;
    this.weight = elementwiseAffine ? ones_(allocateParameter(shape, dtype)) : null;
    this.bias = elementwiseAffine && bias ? zeros_(allocateParameter(shape, dtype)) : null;
  }

  /** `(shape,), eps=…, elementwise_affine=…`, as PyTorch. */
  override extraRepr(): string {
    return `${pyRepr(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyRepr(this.elementwiseAffine)}`;
  }

  /**
   * Normalises `input` over its trailing `normalizedShape` dims, as {@link layerNorm}.
   * @param input - floating-point, [*, ...normalizedShape].
   */
  forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }
}

/** Options of `GroupNorm`, as `torch.nn.GroupNorm`. */
export interface GroupNormOptions {
  /** Added to the variance before its square root (default 1e-5, ≥ 0). */
  eps?: number;
  /** Learn a per-channel scale and shift (default true). */
  affine?: boolean;
  /** The floating dtype of weight and bias (default 'float32'). */
  dtype?: DType;
}

const GROUP_NORM_OPTIONS = optionKeys<GroupNormOptions>({ eps: true, affine: true, dtype: true });

/**
 * Normalises each sample's channel groups to zero mean and unit variance, then scales and shifts
 * per channel, as `torch.nn.GroupNorm`: eps and affine may come positionally (`new GroupNorm(2, 4, 1e-5)`).
 */
export class GroupNorm extends Module {
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  /**
   * @param numGroups - groups the channels split into, each normalised on its own; a positive
   *   integer dividing `numChannels`.
   * @param numChannels - C, dim 1 of the input; the size of weight and bias.
   * @param args - optional `eps` (default 1e-5) and `affine` (default true) in PyTorch's order, then
   *   optionally {@link GroupNormOptions} last; unknown keys throw.
   */
  constructor(numGroups: number, numChannels: number, ...args: PositionalOr<[eps: number, affine: boolean], GroupNormOptions>) {
    super();
    const options = positionalOptions<GroupNormOptions>('GroupNorm', args, ['eps', 'affine'], GROUP_NORM_OPTIONS);
    const { eps = 1e-5, dtype = 'float32' } = options;
    const affine = checkFlag('GroupNorm', 'affine', options.affine) ?? true;
    if (typeof eps !== 'number' || !(eps >= 0)) throw new RangeError(`GroupNorm: eps must be a number ≥ 0, got ${formatValue(eps)}`);
    if (!Number.isInteger(numGroups) || !Number.isInteger(numChannels) || numGroups < 1 || numChannels % numGroups !== 0) {
      throw new RangeError(`GroupNorm: numChannels (${numChannels}) must be divisible by numGroups (${numGroups})`);
    }
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = eps;
    this.affine = affine;
    this.weight = affine ? ones_(allocateParameter([numChannels], dtype)) : null;
    this.bias = affine ? zeros_(allocateParameter([numChannels], dtype)) : null;
  }

  /**
   * Normalises each sample's channel groups of `input`, then scales and shifts per channel.
   * @param input - floating-point, [N, C, *] with C = `numChannels`.
   */
  forward(input: Tensor): Tensor {
    return groupNorm(input, this.numGroups, this.weight, this.bias, this.eps);
  }
}
