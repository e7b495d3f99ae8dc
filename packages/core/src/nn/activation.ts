/** Activation modules: each wraps the op of the same name, as torch.nn's activation classes. */
import { elu, gelu, hardtanh, leakyRelu, mish, relu, sigmoid, silu, softplus, softsign, tanh } from '../ops/activations.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatValue } from '../util/format-value.js';
import { checkNoArguments, checkNumber, type PositionalOr, positionalOptions } from '../util/options.js';
import { pyFloat, pyRepr } from './repr.js';
import { Module } from './module.js';

/** `value` when it is a finite number; a TypeError naming the module and option otherwise. */
function finiteOption(owner: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${owner}: ${name} must be a finite number, got ${formatValue(value)}`);
  }
  return value;
}

/**
 * Refuses PyTorch's `inplace=True` (and anything after it) rather than ignoring it: Loom's
 * activations return a new tensor.
 */
function refuseInplace(owner: string, inplace: unknown, extra: readonly unknown[]): void {
  checkNoArguments(owner, extra, 'an optional inplace=false');
  if (inplace !== undefined && inplace !== false) {
    throw new TypeError(
      `${owner}: inplace is not supported (the output is a new tensor, the input is kept); leave it out (got ${formatValue(inplace)})`,
    );
  }
}

/** max(0, x). */
export class ReLU extends Module {
  /**
   * PyTorch's `ReLU(inplace=True)` is refused rather than ignored: Loom's activations return a new tensor.
   * @param inplace - false or left out
   * @param extra - arguments past those taken: none are, so any throws rather than being ignored
   */
  constructor(inplace?: false, ...extra: never[]) {
    super();
    refuseInplace('ReLU', inplace, extra);
  }

  /**
   * Applies {@link relu} elementwise.
   * @param input - any shape; the dtype is kept (bool becomes int32).
   */
  forward(input: Tensor): Tensor {
    return relu(input);
  }
}

/** Options of `LeakyReLU`. */
export interface LeakyReLUOptions {
  /** Slope for x < 0; default 0.01. */
  negativeSlope?: number;
}

/** x for x ≥ 0, negativeSlope·x otherwise: `new LeakyReLU(0.2)` as in PyTorch, or `{ negativeSlope: 0.2 }`. */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;

  /**
   * @param args - the slope for x < 0 (a number, default 0.01), positionally as in PyTorch or as
   *   {@link LeakyReLUOptions}; unknown keys throw.
   */
  constructor(...args: PositionalOr<[negativeSlope: number], LeakyReLUOptions>) {
    super();
    const { negativeSlope = 0.01 } = positionalOptions<LeakyReLUOptions>('LeakyReLU', args, ['negativeSlope'], ['negativeSlope']);
    this.negativeSlope = checkNumber('LeakyReLU', 'negativeSlope', negativeSlope);
  }

  /** `negative_slope=…`, as PyTorch. */
  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}`;
  }

  /**
   * Applies {@link leakyRelu} with `negativeSlope` elementwise.
   * @param input - any shape; integer and bool inputs are computed in float32.
   */
  forward(input: Tensor): Tensor {
    return leakyRelu(input, this.negativeSlope);
  }
}

/** Options of `GELU`. */
export interface GELUOptions {
  /** 'none' (exact, with erf) or 'tanh' (the tanh approximation). */
  approximate?: 'none' | 'tanh';
}

/** x·Φ(x), exact or with the tanh approximation: `new GELU('tanh')` as in PyTorch, or `{ approximate: 'tanh' }`. */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';

  /**
   * @param args - `'none'` (exact, the default) or `'tanh'`, positionally as in PyTorch or as
   *   {@link GELUOptions}; anything else throws.
   */
  constructor(...args: PositionalOr<[approximate: 'none' | 'tanh'], GELUOptions>) {
    super();
    const { approximate = 'none' } = positionalOptions<GELUOptions>('GELU', args, ['approximate'], ['approximate']);
    if (approximate !== 'none' && approximate !== 'tanh') {
      throw new RangeError(`GELU: approximate must be 'none' or 'tanh', got ${formatValue(approximate)}`);
    }
    this.approximate = approximate;
  }

  /** `approximate='none'` or `'tanh'`, as PyTorch. */
  override extraRepr(): string {
    return `approximate=${pyRepr(this.approximate)}`;
  }

  /**
   * Applies {@link gelu} elementwise.
   * @param input - any shape; integer and bool inputs are computed in float32.
   */
  forward(input: Tensor): Tensor {
    return gelu(input, this.approximate);
  }
}

/** x·σ(x) (swish), as `torch.nn.SiLU`. */
export class SiLU extends Module {
  /**
   * PyTorch's `SiLU(inplace=True)` is refused rather than ignored.
   * @param inplace - false or left out
   * @param extra - arguments past those taken: none are, so any throws rather than being ignored
   */
  constructor(inplace?: false, ...extra: never[]) {
    super();
    refuseInplace('SiLU', inplace, extra);
  }

  /**
   * Applies {@link silu} elementwise.
   * @param input - any shape; integer and bool inputs are computed in float32.
   */
  forward(input: Tensor): Tensor {
    return silu(input);
  }
}

/** x·tanh(softplus(x)), as `torch.nn.Mish`. */
export class Mish extends Module {
  /**
   * PyTorch's `Mish(inplace=True)` is refused rather than ignored.
   * @param inplace - false or left out
   * @param extra - arguments past those taken: none are, so any throws rather than being ignored
   */
  constructor(inplace?: false, ...extra: never[]) {
    super();
    refuseInplace('Mish', inplace, extra);
  }

  /**
   * Applies {@link mish} elementwise.
   * @param input - any shape; integer and bool inputs are computed in float32.
   */
  forward(input: Tensor): Tensor {
    return mish(input);
  }
}

/** Options of `Softplus`, as `torch.nn.Softplus`. */
export interface SoftplusOptions {
  /** Sharpness (default 1). */
  beta?: number;
  /** Above beta·x > threshold the output is x itself (default 20). */
  threshold?: number;
}

/** log(1 + e^(βx))/β, linear above the threshold, as `torch.nn.Softplus`. */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;

  /**
   * @param args - `beta` (finite, not 0; default 1) and `threshold` (default 20) in PyTorch's order
   *   (`new Softplus(2)`), or as {@link SoftplusOptions} last; unknown keys throw.
   */
  constructor(...args: PositionalOr<[beta: number, threshold: number], SoftplusOptions>) {
    super();
    // Defaults by destructuring, which fills only what is undefined: a null beta is refused, not defaulted.
    const { beta = 1, threshold = 20 } = positionalOptions<SoftplusOptions>('Softplus', args, ['beta', 'threshold'], ['beta', 'threshold']);
    this.beta = finiteOption('Softplus', 'beta', beta);
    this.threshold = finiteOption('Softplus', 'threshold', threshold);
    if (this.beta === 0) throw new RangeError('Softplus: beta must not be 0');
  }

  /**
   * Applies {@link softplus} with `beta` and `threshold` elementwise.
   * @param input - any shape; integer and bool inputs are computed in float32.
   */
  forward(input: Tensor): Tensor {
    return softplus(input, this.beta, this.threshold);
  }
}

/** Options of `ELU`, as `torch.nn.ELU`. */
export interface ELUOptions {
  /** Scale of the negative part (default 1). */
  alpha?: number;
}

/** x for x > 0, alpha·(eˣ − 1) otherwise, as `torch.nn.ELU`. */
export class ELU extends Module {
  readonly alpha: number;

  /**
   * @param args - `alpha`, a finite number (default 1), positionally (`new ELU(0.5)`) or as
   *   {@link ELUOptions}; unknown keys throw.
   */
  constructor(...args: PositionalOr<[alpha: number], ELUOptions>) {
    super();
    const { alpha = 1 } = positionalOptions<ELUOptions>('ELU', args, ['alpha'], ['alpha']);
    this.alpha = finiteOption('ELU', 'alpha', alpha);
  }

  /**
   * Applies {@link elu} with `alpha` elementwise.
   * @param input - any shape; integer and bool inputs are computed in float32.
   */
  forward(input: Tensor): Tensor {
    return elu(input, this.alpha);
  }
}

/** Options of `Hardtanh`, as `torch.nn.Hardtanh`. */
export interface HardtanhOptions {
  /** Lower bound (default −1). */
  minVal?: number;
  /** Upper bound (default 1). */
  maxVal?: number;
}

/** x clamped to [minVal, maxVal], as `torch.nn.Hardtanh`. */
export class Hardtanh extends Module {
  readonly minVal: number;
  readonly maxVal: number;

  /**
   * @param args - the finite bounds `minVal` (default −1) and `maxVal` (default 1), `maxVal` >
   *   `minVal`, in PyTorch's order (`new Hardtanh(-2, 2)`) or as {@link HardtanhOptions}; unknown keys throw.
   */
  constructor(...args: PositionalOr<[minVal: number, maxVal: number], HardtanhOptions>) {
    super();
    const { minVal = -1, maxVal = 1 } = positionalOptions<HardtanhOptions>('Hardtanh', args, ['minVal', 'maxVal'], ['minVal', 'maxVal']);
    this.minVal = finiteOption('Hardtanh', 'minVal', minVal);
    this.maxVal = finiteOption('Hardtanh', 'maxVal', maxVal);
    if (!(this.maxVal > this.minVal))
      throw new RangeError(`Hardtanh: maxVal (${this.maxVal}) must be greater than minVal (${this.minVal})`);
  }

  /**
   * Applies {@link hardtanh} with `minVal` and `maxVal` elementwise.
   * @param input - any shape; integer and bool inputs are computed in float32.
   */
  forward(input: Tensor): Tensor {
    return hardtanh(input, this.minVal, this.maxVal);
  }
}

/** x / (1 + |x|), as `torch.nn.Softsign`. */
export class Softsign extends Module {
  /**
   * Takes no arguments, as PyTorch's; any given throws.
   * @param args - none are taken: any argument throws rather than being ignored
   */
  constructor(...args: never[]) {
    super();
    checkNoArguments('Softsign', args);
  }

  /**
   * Applies {@link softsign} elementwise.
   * @param input - any shape; integer and bool inputs are computed in float32.
   */
  forward(input: Tensor): Tensor {
    return softsign(input);
  }
}

/** Hyperbolic tangent. */
export class Tanh extends Module {
  /**
   * Takes no arguments, as PyTorch's; any given throws.
   * @param args - none are taken: any argument throws rather than being ignored
   */
  constructor(...args: never[]) {
    super();
    checkNoArguments('Tanh', args);
  }

  /**
   * Applies {@link tanh} elementwise.
   * @param input - any shape; integer and bool inputs are computed in float32.
   */
  forward(input: Tensor): Tensor {
    return tanh(input);
  }
}

/** 1 / (1 + e⁻ˣ). */
export class Sigmoid extends Module {
  /**
   * Takes no arguments, as PyTorch's; any given throws.
   * @param args - none are taken: any argument throws rather than being ignored
   */
  constructor(...args: never[]) {
    super();
    checkNoArguments('Sigmoid', args);
  }

  /**
   * Applies {@link sigmoid} elementwise.
   * @param input - any shape; integer and bool inputs are computed in float32.
   */
  forward(input: Tensor): Tensor {
    return sigmoid(input);
  }
}

/** Options of `Softmax` and `LogSoftmax`. */
export interface SoftmaxOptions {
  /** The dimension the values sum to 1 along (required). */
  dim?: number;
}

/** The `dim` of `new Softmax(dim)` or `new Softmax({ dim })`; PyTorch's implicit dim is refused. */
function softmaxDim(owner: string, args: readonly unknown[]): number {
  const { dim } = positionalOptions<SoftmaxOptions>(owner, args, ['dim'], ['dim']);
  if (typeof dim !== 'number' || !Number.isInteger(dim))
    throw new TypeError(`${owner}: needs the dim to normalise along, an integer; got ${formatValue(dim)}`);
  return dim;
}

/** Softmax along `dim`. */
export class Softmax extends Module {
  readonly dim: number;

  /**
   * @param args - the dim the outputs sum to 1 along (an integer, required; negative counts from
   *   the end), positionally as in PyTorch or as {@link SoftmaxOptions}.
   */
  constructor(...args: PositionalOr<[dim: number], SoftmaxOptions>) {
    super();
    this.dim = softmaxDim('Softmax', args);
  }

  /** `dim=…`, as PyTorch. */
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }

  /**
   * Applies {@link softmax} along `dim`.
   * @param input - floating-point, any shape; `dim` must be one of its dims.
   */
  forward(input: Tensor): Tensor {
    return softmax(input, this.dim);
  }
}

/** log(softmax(x)) along `dim`, computed stably. */
export class LogSoftmax extends Module {
  readonly dim: number;

  /**
   * @param args - the dim to normalise along (an integer, required; negative counts from the
   *   end), positionally as in PyTorch or as {@link SoftmaxOptions}.
   */
  constructor(...args: PositionalOr<[dim: number], SoftmaxOptions>) {
    super();
    this.dim = softmaxDim('LogSoftmax', args);
  }

  /** `dim=…`, as PyTorch. */
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }

  /**
   * Applies {@link logSoftmax} along `dim`.
   * @param input - floating-point, any shape; `dim` must be one of its dims.
   */
  forward(input: Tensor): Tensor {
    return logSoftmax(input, this.dim);
  }
}
