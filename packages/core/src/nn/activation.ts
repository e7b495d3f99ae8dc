/** Activation modules: each wraps the op of the same name, as torch.nn's activation classes. */
import { gelu, leakyRelu, relu, sigmoid, tanh } from '../ops/activations.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { Module } from './module.js';

/** `value` when it is a finite number; a TypeError naming the module and option otherwise. */
function finiteOption(owner: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${owner}: ${name} must be a finite number, got ${String(value)}`);
  }
  return value;
}

/** max(0, x). */
export class ReLU extends Module {
  forward(input: Tensor): Tensor {
    return relu(input);
  }
}

/** Options of `LeakyReLU`, as `torch.nn.LeakyReLU`. */
export interface LeakyReLUOptions {
  /** Slope for x < 0 (default 0.01). */
  negativeSlope?: number;
}

/** x for x > 0, negativeSlope·x otherwise. */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;

  constructor(options: LeakyReLUOptions = {}) {
    super();
    checkOptions('LeakyReLU', options, ['negativeSlope']);
    this.negativeSlope = finiteOption('LeakyReLU', 'negativeSlope', options.negativeSlope ?? 0.01);
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

/** x·Φ(x), exact or with the tanh approximation. */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';

  constructor({ approximate = 'none' }: GELUOptions = {}) {
    super();
    if (approximate !== 'none' && approximate !== 'tanh') {
      throw new RangeError(`GELU: approximate must be 'none' or 'tanh', got '${String(approximate)}'`);
    }
    this.approximate = approximate;
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

/** Softmax along `dim`. */
export class Softmax extends Module {
  constructor(readonly dim: number) {
    super();
  }

  forward(input: Tensor): Tensor {
    return softmax(input, this.dim);
  }
}

/** log(softmax(x)) along `dim`, computed stably. */
export class LogSoftmax extends Module {
  constructor(readonly dim: number) {
    super();
  }

  forward(input: Tensor): Tensor {
    return logSoftmax(input, this.dim);
  }
}
