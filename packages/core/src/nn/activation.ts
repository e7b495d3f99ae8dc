/** Activation modules: each wraps the op of the same name, as torch.nn's activation classes. */
import { gelu, leakyRelu, relu, sigmoid, tanh } from '../ops/activations.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import type { Tensor } from '../tensor/tensor.js';
import { pyFloat, pyRepr } from './repr.js';
import { Module } from './module.js';
import { type PositionalOr, positionalOptions } from '../util/options.js';

/** max(0, x). */
export class ReLU extends Module {
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

  constructor(...args: PositionalOr<[negativeSlope: number], LeakyReLUOptions>) {
    super();
    const { negativeSlope = 0.01 } = positionalOptions<LeakyReLUOptions>('LeakyReLU', args, ['negativeSlope'], ['negativeSlope']);
    if (typeof negativeSlope !== 'number') throw new TypeError(`LeakyReLU: negativeSlope must be a number, got ${typeof negativeSlope}`);
    this.negativeSlope = negativeSlope;
  }

  /** `negative_slope=…`, as PyTorch. */
  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}`;
  }

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

  constructor(...args: PositionalOr<[approximate: 'none' | 'tanh'], GELUOptions>) {
    super();
    const { approximate = 'none' } = positionalOptions<GELUOptions>('GELU', args, ['approximate'], ['approximate']);
    if (approximate !== 'none' && approximate !== 'tanh') {
      throw new RangeError(`GELU: approximate must be 'none' or 'tanh', got '${String(approximate)}'`);
    }
    this.approximate = approximate;
  }

  /** `approximate='none'` or `'tanh'`, as PyTorch. */
  override extraRepr(): string {
    return `approximate=${pyRepr(this.approximate)}`;
  }

  forward(input: Tensor): Tensor {
    return gelu(input, this.approximate);
  }
}

/** Hyperbolic tangent. */
export class Tanh extends Module {
  forward(input: Tensor): Tensor {
    return tanh(input);
  }
}

/** 1 / (1 + e⁻ˣ). */
export class Sigmoid extends Module {
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
  if (typeof dim !== 'number' || !Number.isInteger(dim)) throw new TypeError(`${owner}: needs the dim to normalise along, an integer; got ${String(dim)}`);
  return dim;
}

/** Softmax along `dim`. */
export class Softmax extends Module {
  readonly dim: number;

  constructor(...args: PositionalOr<[dim: number], SoftmaxOptions>) {
    super();
    this.dim = softmaxDim('Softmax', args);
  }

  /** `dim=…`, as PyTorch. */
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }

  forward(input: Tensor): Tensor {
    return softmax(input, this.dim);
  }
}

/** log(softmax(x)) along `dim`, computed stably. */
export class LogSoftmax extends Module {
  readonly dim: number;

  constructor(...args: PositionalOr<[dim: number], SoftmaxOptions>) {
    super();
    this.dim = softmaxDim('LogSoftmax', args);
  }

  /** `dim=…`, as PyTorch. */
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }

  forward(input: Tensor): Tensor {
    return logSoftmax(input, this.dim);
  }
}
