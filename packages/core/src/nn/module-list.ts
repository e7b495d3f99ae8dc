import { Module } from './module.js';

/**
 * Modules held in a list and registered as children '0', '1', …, as `torch.nn.ModuleList`: the
 * owner decides how to call them (a ModuleList has no forward of its own).
 */
export class ModuleList<M extends Module<unknown[], unknown> = Module> extends Module<[], never> {
  private readonly items: M[];

  /** @param modules - the initial modules, appended in order (default none); each must be a `Module`. */
  constructor(modules: Iterable<M> = []) {
    super();
    this.items = [];
    for (const m of modules) this.append(m);
  }

  override namedChildren(): [string, Module][] {
    return this.items.map((m, i) => [String(i), m as Module<unknown[], unknown> as Module]);
  }

  /** The number of modules. */
  get length(): number {
    return this.items.length;
  }

  /**
   * The module at `index` (negative counts from the end).
   * @param index - an integer in [−length, length); anything else throws.
   */
  at(index: number): M {
    const m = this.items.at(index);
    if (!m || !Number.isInteger(index)) throw new RangeError(`ModuleList: index ${index} is out of range for ${this.length} modules`);
    return m;
  }

  /**
   * Adds a module at the end; returns this.
   * @param module - registered as child `String(length)`; a non-`Module` throws.
   */
  append(module: M): this {
    if (!(module instanceof Module)) throw new TypeError(`ModuleList: item ${this.items.length} is not a Module`);
    this.items.push(module);
    return this;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.items[Symbol.iterator]();
  }

  forward(): never {
    throw new Error('ModuleList has no forward: call its modules (iterate over it, or use at(i))');
  }
}
