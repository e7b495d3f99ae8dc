import { releaseGrad } from '../autograd/backward.js';
import { formatValue } from '../util/format-value.js';
import { noGrad } from '../autograd/grad-mode.js';
import type { DType } from '../dtype.js';
import { copyInto, detach } from '../ops/copy.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { convertModuleDType } from './module-dtype.js';
import { Parameter } from './parameter.js';
import { checkFlag } from '../util/options.js';
import {
  type IncompatibleKeys,
  type LoadStateDictArgs,
  resolveLoadStateDictArgs,
  resolveStateDictOptions,
  type StateDictOptions,
} from './state-dict-options.js';
import { addIndent } from './repr.js';

/** A buffer slot of a module: its tensor (null = declared but unset) and whether `stateDict` saves it. */
export interface BufferSlot {
  readonly tensor: Tensor | null;
  readonly persistent: boolean;
}

/**
 * Base class of every layer and model, as `torch.nn.Module`. Parameters and sub-modules are
 * found among the instance's own properties, in the order they were assigned (as PyTorch
 * registers attributes): `this.fc1 = new Linear(784, 256)` is all it takes. Buffers — state that
 * is saved and converted with the parameters but not optimised, such as BatchNorm's running
 * statistics — are declared with `registerBuffer`.
 *
 * `Inputs` and `Output` type `forward`: tensors in, one tensor out by default; a module with
 * PyTorch's tuple outputs or keyword options says so (`LSTM extends Module<[Tensor, [Tensor,
 * Tensor]?], [Tensor, [Tensor, Tensor]]>`), and then does not type-check where a plain
 * tensor-to-tensor `Module` is expected (in a `Sequential`).
 */
export abstract class Module<Inputs extends unknown[] = Tensor[], Output = Tensor> {
  /** Training mode (dropout active, BatchNorm on batch statistics) or evaluation mode. */
  training = true;
  /** Buffers by name in registration order, as PyTorch's `_buffers` (private: not a property walk). */
  readonly #buffers = new Map<string, BufferSlot>();

  /**
   * Computes the module's output.
   * @param inputs - the module's inputs as its `Inputs` type lists them: one tensor for most
   *   layers, `(query, key, value, options?)` for attention.
   */
  abstract forward(...inputs: Inputs): Output;

  /**
   * This module as the tree's element type: walking the tree, the inputs and output of
   * `forward` do not matter.
   */
  private asModule(): Module {
    return this as Module<unknown[], unknown> as Module;
  }

  /** Direct sub-modules with their names. */
  namedChildren(): [string, Module][] {
    return Object.entries(this).filter((e): e is [string, Module] => e[1] instanceof Module);
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** Parameters held directly by this module (not its children), with their names. */
  namedOwnParameters(): [string, Parameter][] {
    return Object.entries(this).filter((e): e is [string, Parameter] => e[1] instanceof Parameter);
  }

  /**
   * Every parameter of this module and its descendants, named by dotted path ('0.weight'), each
   * shared parameter once.
   * @param prefix - this module's name (default ''): names become `prefix.0.weight`, as PyTorch's
   *   `named_parameters(prefix='model')` gives `model.0.weight` (a prefix given with its trailing
   *   '.' is used as it is).
   */
  namedParameters(prefix = ''): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Parameter>();
    const visit = (m: Module, path: string): void => {
      for (const [name, p] of m.namedOwnParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([path + name, p]);
      }
      for (const [name, child] of m.namedChildren()) visit(child, `${path}${name}.`);
    };
    visit(this.asModule(), dotted(prefix));
    return out;
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /**
   * Declares (or replaces) the buffer `name`, as `register_buffer`: a tensor saved by `stateDict`
   * (unless `persistent` is false), loaded by `loadStateDict`, converted by `to`/`double`/`float`,
   * never returned by `parameters()`. `null` declares the name without a value (skipped
   * everywhere). The tensor is kept, not copied: allocate it outside `withArena` (or in
   * `persistent`).
   * @param name - the buffer's name in the state dict: non-empty, without '.', and not an existing
   *   property of the module.
   * @param tensor - a plain tensor (not a `Parameter`), or null to declare the name without a value.
   * @param persistent - whether `stateDict` saves it (default true); non-persistent buffers are
   *   still converted by `to`.
   */
  registerBuffer(name: string, tensor: Tensor | null, persistent = true): void {
    if (typeof name !== 'string' || name === '' || name.includes('.')) {
      throw new TypeError(`registerBuffer: buffer name must be a non-empty string without '.', got ${JSON.stringify(name)}`);
    }
    if (!this.#buffers.has(name) && Object.hasOwn(this, name)) {
      throw new Error(`registerBuffer: attribute '${name}' already exists on ${this.constructor.name}`);
    }
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TypeError(`registerBuffer: cannot assign ${formatValue(tensor)} to buffer '${name}' (a Tensor or null is required)`);
    }
    if (tensor instanceof Parameter) {
      throw new TypeError(`registerBuffer: '${name}' is a Parameter; assign parameters as properties, buffers must be plain tensors`);
    }
    this.#buffers.set(name, { tensor, persistent });
  }

  /**
   * The buffer at a dotted path ('bn1.running_mean'), as `get_buffer`; throws for anything else.
   * @param target - sub-module names then the buffer's, joined by '.'; null is returned for a
   *   buffer declared without a value.
   */
  getBuffer(target: string): Tensor | null {
    const parts = target.split('.');
    const name = parts.pop()!;
    let m: Module = this.asModule();
    for (const part of parts) {
      const child = m.namedChildren().find(([n]) => n === part)?.[1];
      if (!child) throw new Error(`getBuffer: ${m.constructor.name} has no submodule '${part}' (in '${target}')`);
      m = child;
    }
    const slot = m.#buffers.get(name);
    if (!slot) throw new Error(`getBuffer: ${m.constructor.name} has no buffer '${name}' (in '${target}')`);
    return slot.tensor;
  }

  /** The buffer slots held directly by this module (null ones included), in registration order. */
  namedOwnBufferSlots(): [string, BufferSlot][] {
    return [...this.#buffers];
  }

  /**
   * Every buffer (not null) of this module and its descendants, named by dotted path, each once.
   * @param prefix - this module's name (default ''): names become `prefix.0.weight`, as PyTorch's
   *   `named_parameters(prefix='model')` gives `model.0.weight` (a prefix given with its trailing
   *   '.' is used as it is).
   */
  namedBuffers(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    const base = dotted(prefix);
    for (const [path, m] of this.namedModules()) {
      for (const [name, { tensor }] of m.#buffers) {
        if (tensor === null || seen.has(tensor)) continue;
        seen.add(tensor);
        out.push([base + (path ? `${path}.` : '') + name, tensor]);
      }
    }
    return out;
  }

  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /**
   * Converts every floating-point parameter and buffer (and parameter gradient) to `dtype`, as
   * `module.to(dtype)`: integer buffers (`num_batches_tracked`) keep theirs, and parameters shared
   * between modules stay shared. Parameters become new `Parameter` objects: build the optimizer
   * after converting, as in PyTorch.
   * @param dtype - the floating dtype to convert to, 'float32' or 'float64'; any other throws.
   */
  to(dtype: DType): this {
    convertModuleDType(this.asModule(), dtype);
    return this;
  }

  /** `to('float64')`. */
  double(): this {
    return this.to('float64');
  }

  /** `to('float32')`. */
  float(): this {
    return this.to('float32');
  }

  /** This module and every descendant, depth first. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /**
   * This module (named `prefix`) and every descendant by dotted path, each once, depth first.
   * @param prefix - this module's name (default ''): descendants are named `prefix.child…`, or
   *   `child…` when it is empty.
   */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const visit = (m: Module, path: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([path, m]);
      for (const [name, child] of m.namedChildren()) visit(child, path ? `${path}.${name}` : name);
    };
    visit(this.asModule(), prefix);
    return out;
  }

  /**
   * Calls `fn` on every descendant (children first) and then on this module; returns this.
   * @param fn - called once per module, e.g. to re-initialise its parameters; its return value is ignored.
   */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this.asModule());
    return this;
  }

  /** The number of parameter elements (each shared parameter counted once). */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.numel, 0);
  }

  /**
   * The parameters and persistent buffers by dotted name, as detached tensors sharing their
   * storage, in PyTorch's order: each module's own parameters, then its own buffers, then its
   * children's entries. As in PyTorch, a tensor reachable under several names appears under each.
   * @param options - PyTorch's `destination` (an object to fill and return), `prefix` (put before
   *   every key) and `keepVars` (the tensors themselves, not detached views), see {@link StateDictOptions}
   */
  stateDict(options: StateDictOptions = {}): Record<string, Tensor> {
    const { destination, prefix, keepVars } = resolveStateDictOptions(options);
    for (const [name, p] of this.stateEntries(prefix)) destination[name] = keepVars ? p : detach(p);
    return destination;
  }

  /**
   * Copies the values of `stateDict` into the parameters and buffers in place (converting the
   * dtype: PyTorch's int64 `num_batches_tracked` loads into Loom's int32 one). Every
   * mismatch is checked before anything is copied: shape mismatches always throw; missing and
   * unexpected keys throw when `strict` (the default) and are returned otherwise.
   * @param stateDict Tensors by dotted parameter name, as `stateDict()` gives them.
   * @param args `strict` (default true: refuse missing and unexpected keys), positionally as in
   *   PyTorch (`loadStateDict(sd, false)`) or as `{ strict }`.
   */
  loadStateDict(stateDict: Readonly<Record<string, Tensor>>, ...args: LoadStateDictArgs): IncompatibleKeys {
    const strict = resolveLoadStateDictArgs(stateDict, args);
    const own = this.stateEntries('');
    const ownNames = new Set(own.map(([name]) => name));
    const missingKeys = own.map(([name]) => name).filter((name) => !Object.hasOwn(stateDict, name));
    const unexpectedKeys = Object.keys(stateDict).filter((name) => !ownNames.has(name));
    const errors: string[] = [];
    if (strict && missingKeys.length > 0) {
      errors.push(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}. `);
    }
    if (strict && unexpectedKeys.length > 0) {
      errors.push(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}. `);
    }
    const copies: [Tensor, Tensor][] = [];
    for (const [name, p] of own) {
      const value = stateDict[name];
      if (value === undefined) continue;
      if (!shapesEqual(value.shape, p.shape)) {
        errors.push(
          `size mismatch for ${name}: copying a param with shape ${formatShape(value.shape)} from checkpoint, ` +
            `the shape in current model is ${formatShape(p.shape)}.`,
        );
      } else copies.push([p, value]);
    }
    if (errors.length > 0) {
      throw new Error(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join('\n\t')}`);
    }
    // As PyTorch's load_state_dict: a copy into parameters, not an op autograd records.
    noGrad(() => {
      for (const [p, value] of copies) copyInto(p, value);
    });
    return { missingKeys, unexpectedKeys };
  }

  /** Every (name, parameter or persistent buffer) pair, shared tensors repeated under each of their names. */
  private stateEntries(prefix: string): [string, Tensor][] {
    const own: [string, Tensor][] = this.namedOwnParameters().map(([name, p]) => [prefix + name, p]);
    for (const [name, { tensor, persistent }] of this.#buffers) if (tensor !== null && persistent) own.push([prefix + name, tensor]);
    return own.concat(this.namedChildren().flatMap(([name, child]) => child.stateEntries(`${prefix}${name}.`)));
  }

  /**
   * Sets training mode on this module and every descendant.
   * @param mode - true (the default) for training, false for evaluation (as `eval()`).
   */
  train(mode = true): this {
    checkFlag('Module.train', 'mode', mode);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Clears the gradients of every parameter (sets them to null, or zero-fills them).
   * @param setToNone - true (the default): set each `grad` to null, releasing its memory; false:
   *   fill dense gradients with zeros in place (sparse ones still become null).
   */
  zeroGrad(setToNone = true): void {
    checkFlag('Module.zeroGrad', 'setToNone', setToNone);
    for (const p of this.parameters()) {
      if (setToNone || !p.grad || p.grad.isSparse) {
        // A gradient backward allocated goes back to the allocator now, not at GC.
        releaseGrad(p.grad);
        p.grad = null;
      } else p.grad.data().fill(0);
    }
  }

  /**
   * The module's own settings for its printed form, as PyTorch's `extra_repr()`:
   * `in_features=784, out_features=256, bias=True` for a Linear. Override it in a module of your
   * own; the default is empty.
   */
  extraRepr(): string {
    return '';
  }

  /**
   * The module tree as PyTorch prints it: the class name, `extraRepr()`, and each child as
   * `(name): …` indented below, e.g. `Sequential(\n  (0): Linear(in_features=2, out_features=1, bias=True)\n)`.
   */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines = this.namedChildren().map(([name, child]) => `(${name}): ${addIndent(child.toString(), 2)}`);
    const lines = [...extraLines, ...childLines];
    let body = '';
    if (extraLines.length === 1 && childLines.length === 0) body = extraLines[0]!;
    else if (lines.length > 0) body = `\n  ${lines.join('\n  ')}\n`;
    return `${this.constructor.name}(${body})`;
  }

  /** What `console.log` and `util.inspect` show: the same as `toString()`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** A name prefix ready to prepend: `'model'` → `'model.'`; `''` and `'model.'` as they are. */
function dotted(prefix: string): string {
  return prefix === '' || prefix.endsWith('.') ? prefix : `${prefix}.`;
}
