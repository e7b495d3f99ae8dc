import { releaseIntermediates } from '../autograd/release-intermediates.js';
import type { Tensor } from '../tensor/tensor.js';
import { ELU, GELU, Hardtanh, LeakyReLU, LogSoftmax, Mish, ReLU, SiLU, Sigmoid, Softmax, Softplus, Softsign, Tanh } from './activation.js';
import { BatchNorm1d, BatchNorm2d } from './batchnorm.js';
import { Conv1d, Conv2d, ConvTranspose2d } from './conv.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { GroupNorm, LayerNorm } from './normalization.js';
import { AdaptiveAvgPool2d, AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d } from './pooling.js';

/**
 * Built-in modules whose forward keeps no reference to its input or output (these exact classes:
 * a subclass may override forward and keep one). Between two of them, an intermediate value is
 * out of everyone's reach once the layers have run, so Sequential can free it.
 */
const KEEPS_NO_TENSORS: ReadonlySet<unknown> = new Set<unknown>([
  ELU,
  GELU,
  Hardtanh,
  LeakyReLU,
  LogSoftmax,
  Mish,
  ReLU,
  SiLU,
  Sigmoid,
  Softmax,
  Softplus,
  Softsign,
  Tanh,
  BatchNorm1d,
  BatchNorm2d,
  Conv1d,
  Conv2d,
  ConvTranspose2d,
  Dropout,
  Flatten,
  Linear,
  GroupNorm,
  LayerNorm,
  AdaptiveAvgPool2d,
  AvgPool1d,
  AvgPool2d,
  MaxPool1d,
  MaxPool2d,
]);

/** Whether `m` is one of the built-in modules that keep no tensor, or a Sequential of them. */
function keepsNoTensors(m: Module): boolean {
  return KEEPS_NO_TENSORS.has(m.constructor) || m.constructor === Sequential;
}

/** Modules applied one after the other, as `torch.nn.Sequential`; children are named '0', '1', …. */
export class Sequential extends Module {
  private readonly layers: Module[];

  /** @param modules - the layers in the order `forward` applies them; each must be a `Module`. */
  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => checkModule(m, i));
    this.layers = [...modules];
  }

  override namedChildren(): [string, Module][] {
    return this.layers.map((m, i) => [String(i), m]);
  }

  /** The number of modules. */
  get length(): number {
    return this.layers.length;
  }

  /**
   * The module at `index` (negative counts from the end).
   * @param index - an integer in [−length, length); anything else throws.
   */
  at(index: number): Module {
    const m = this.layers.at(index);
    if (!m || !Number.isInteger(index)) throw new RangeError(`Sequential: index ${index} is out of range for ${this.length} modules`);
    return m;
  }

  /**
   * Adds a module at the end; returns this.
   * @param module - applied last by `forward`, registered as child `String(length)`; a non-`Module` throws.
   */
  append(module: Module): this {
    checkModule(module, this.layers.length);
    this.layers.push(module);
    return this;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.layers[Symbol.iterator]();
  }

  /**
   * `input` through every module in order, each one's output the next one's input. When every
   * module is a built-in one that keeps no tensor (Linear, the activations, Conv, norms, pooling,
   * Dropout, Flatten, Sequential), the values passed between them are freed once nothing can need
   * them (after backward, or at once without autograd; see releaseIntermediates): a plain loop
   * outside withArena then has only the input and the output to reclaim.
   * @param input - what the first module takes; with no modules it is returned as it is.
   */
  forward(input: Tensor): Tensor {
    let x = input;
    const intermediates: Tensor[] = [];
    const n = this.layers.length;
    let release = true;
    for (let i = 0; i < n; i++) release &&= keepsNoTensors(this.layers[i]!);
    // Plain loops (no callbacks): a model's forward runs on every training step.
    for (let i = 0; i < n; i++) {
      x = this.layers[i]!.forward(x);
      if (release && i < n - 1) intermediates.push(x);
    }
    if (release) releaseIntermediates(input, x, intermediates);
    return x;
  }
}

function checkModule(m: unknown, index: number): void {
  if (!(m instanceof Module)) throw new TypeError(`Sequential: argument ${index} is not a Module`);
}
