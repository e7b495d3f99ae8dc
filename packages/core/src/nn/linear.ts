import type { DType } from '../dtype.js';
import { linear } from '../ops/matmul.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { allocateParameter } from './allocate.js';
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from './init.js';
import { pyRepr } from './repr.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';
import { checkFlag, optionKeys, type PositionalOr, positionalOptions } from '../util/options.js';

/** Options of `Linear`. */
export interface LinearOptions {
  /** Learn an additive bias [outFeatures] (default true). */
  bias?: boolean;
  /** The floating dtype of weight and bias (default 'float32'). */
  dtype?: DType;
  /** Draws the initial values (default: the default generator). */
  generator?: Generator;
}

const LINEAR_OPTIONS = optionKeys<LinearOptions>({ bias: true, dtype: true, generator: true });

/**
 * y = x·Wᵀ + b, as `torch.nn.Linear`; W is [outFeatures, inFeatures]. `bias` may come positionally,
 * as in PyTorch: `new Linear(4, 2, false)` is `new Linear(4, 2, { bias: false })`.
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  /**
   * @param inFeatures - the size of each input's last dim; a non-negative integer.
   * @param outFeatures - the size of each output's last dim; a non-negative integer.
   * @param args - optional `bias` (true or false, default true), then optionally
   *   {@link LinearOptions} last; unknown keys throw.
   */
  constructor(inFeatures: number, outFeatures: number, ...args: PositionalOr<[bias: boolean], LinearOptions>) {
    super();
    const options = positionalOptions<LinearOptions>('Linear', args, ['bias'], LINEAR_OPTIONS);
    const { dtype = 'float32', generator = defaultGenerator } = options;
    const bias = checkFlag('Linear', 'bias', options.bias) ?? true;
    checkFeatures('Linear', inFeatures, outFeatures);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = allocateParameter([outFeatures, inFeatures], dtype);
    this.bias = bias ? allocateParameter([outFeatures], dtype) : null;
    resetAffine(this.weight, this.bias, generator);
  }

  /** `in_features=…, out_features=…, bias=…`, as PyTorch prints a Linear. */
  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyRepr(this.bias !== null)}`;
  }

  /**
   * x·Wᵀ + b, as {@link linear}: [*, inFeatures] → [*, outFeatures].
   * @param input - [*, inFeatures], of the weight's dtype.
   */
  forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }
}

/** Refuses negative or fractional sizes, naming the module. */
export function checkFeatures(module: string, ...sizes: number[]): void {
  if (sizes.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new RangeError(`${module}: sizes must be non-negative integers, got ${sizes.join(', ')}`);
  }
}

/**
 * PyTorch's reset_parameters of Linear and ConvNd: weight kaiming-uniform with a = √5 (bound
 * 1/√fanIn), bias uniform in ±1/√fanIn.
 */
export function resetAffine(weight: Parameter, bias: Parameter | null, generator: Generator): void {
  kaimingUniform_(weight, Math.sqrt(5), 'fanIn', 'leaky_relu', generator);
  if (!bias) return;
  const [fanIn] = calculateFanInAndFanOut(weight);
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  uniform_(bias, -bound, bound, generator);
}
