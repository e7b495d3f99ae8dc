import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

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
   * `input` through every module in order, each one's output the next one's input.
   * @param input - what the first module takes; with no modules it is returned as it is.
   */
  forward(input: Tensor): Tensor {
    let x = input;
    for (const m of this.layers) x = m.forward(x);
    return x;
  }
}

function checkModule(m: unknown, index: number): void {
  if (!(m instanceof Module)) throw new TypeError(`Sequential: argument ${index} is not a Module`);
}
