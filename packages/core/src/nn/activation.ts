/** Activation modules: each wraps the op of the same name, as torch.nn's activation classes. */
import { gelu, leakyRelu, relu, sigmoid, tanh } from '../ops/activations.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import type { Tensor } from '../tensor/tensor.js';
import { pyFloat, pyRepr } from './repr.js';
import { Module } from './module.js';

/** max(0, x). */
export class ReLU extends Module {
  forward(input: Tensor): Tensor {
    return relu(input);
  }
}

/** x for x ≥ 0, negativeSlope·x otherwise. */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
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

/** x·Φ(x), exact or with the tanh approximation. */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';

  /** @param options `approximate`: 'none' (default, exact) or 'tanh'. */
  constructor({ approximate = 'none' }: GELUOptions = {}) {
    super();
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

/** Softmax along `dim`. */
export class Softmax extends Module {
  constructor(readonly dim: number) {
    super();
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
  constructor(readonly dim: number) {
    super();
  }

  /** `dim=…`, as PyTorch. */
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }

  forward(input: Tensor): Tensor {
    return logSoftmax(input, this.dim);
  }
}
