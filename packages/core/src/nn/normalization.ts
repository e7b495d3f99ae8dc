import type { DType } from '../dtype.js';
import { layerNorm } from '../ops/layer-norm.js';
import type { Tensor } from '../tensor/tensor.js';
import { allocateParameter } from './allocate.js';
import { ones_, zeros_ } from './init.js';
import { pyFloat, pyRepr } from './repr.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';

/** Options of `LayerNorm`, as `torch.nn.LayerNorm`. */
export interface LayerNormOptions {
  eps?: number;
  /** Learn a per-element scale (and shift, unless `bias` is false). */
  elementwiseAffine?: boolean;
  bias?: boolean;
  dtype?: DType;
}

/** Normalises over the last dims (`normalizedShape`) to zero mean and unit variance, then scales and shifts. */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    const { eps = 1e-5, elementwiseAffine = true, bias = true, dtype = 'float32' } = options;
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

  forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }
}
