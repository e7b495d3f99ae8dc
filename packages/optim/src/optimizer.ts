import {
  checkFlag,
  checkNoArguments,
  checkOptions,
  formatValue,
  persistent,
  type PositionalOr,
  positionalOptions,
  releaseGrad,
  RowSparseTensor,
  Tensor,
} from '@loom/core';
import { copyStateValue } from './state-copy.js';

/** Options every optimizer has; each optimizer adds its own (PyTorch's names, camelCased). */
export interface OptimizerOptions {
  /** Learning rate, ≥ 0: the step size the update scales by (schedulers change it in place). */
  lr: number;
}

/**
 * One parameter group: its parameters and a full set of options (the optimizer's defaults,
 * overridden per group). Options are plain mutable fields that `step()` reads on every call, so
 * LR schedulers change them in place.
 */
export type ParamGroup<O extends OptimizerOptions = OptimizerOptions> = O & { params: Tensor[]; initialLr?: number };

/** A parameter group as given to the constructor or `addParamGroup`: any options may be left out. */
export type ParamGroupInput<O extends OptimizerOptions = OptimizerOptions> = Partial<O> & {
  params: Tensor | Iterable<Tensor>;
};

/**
 * What an optimizer's constructor takes after the parameters: PyTorch's positional `lr`, an
 * options object, or both (`new SGD(params, 0.1, { momentum: 0.9 })`).
 */
export type OptimizerArgs<O extends OptimizerOptions> = [options?: Partial<O>] | [lr: number, options?: Partial<O>];

/** What an optimizer is built from: parameters (one group) or parameter groups. */
export type Params<O extends OptimizerOptions = OptimizerOptions> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

/** A loss as a closure returns it. */
export type Loss = number | Tensor;

/** Re-evaluates the model: clears and recomputes the gradients and returns the loss. */
export type Closure<L extends Loss = Loss> = () => L;

/**
 * Throws unless `closure` is a function or undefined and nothing follows it (`step(closure)` takes no more).
 * @param owner - the method named in the error ('Adam.step')
 * @param closure - what the caller passed as the closure
 * @param extra - the arguments after it
 */
export function checkStepArguments(owner: string, closure: unknown, extra: readonly unknown[]): void {
  checkNoArguments(owner, extra, 'an optional closure');
  if (closure !== undefined && typeof closure !== 'function') {
    throw new TypeError(`${owner}: closure must be a function that recomputes the loss, got ${formatValue(closure)}`);
  }
}

/** A value of per-parameter state: buffers (tensors), counters (numbers), or LBFGS's histories. */
export type StateValue = Tensor | number | Tensor[] | number[];

/** The state of one parameter, keyed by PyTorch's names camelCased (`step`, `expAvg`, …). */
export type ParamState = Record<string, StateValue>;

/** A parameter group in a state dict: its options and the indices of its parameters. */
export type SavedParamGroup = { [key: string]: unknown; params: number[] };

/**
 * PyTorch's `state_dict()` layout: `state` keyed by parameter index (parameters numbered in group
 * order), `paramGroups` listing those indices with each group's options. `optimizer` names the
 * class that saved it ('Adam'); a dict without it (older ones) loads when its keys fit.
 */
export interface OptimizerStateDict {
  optimizer?: string;
  state: Record<number, ParamState>;
  paramGroups: SavedParamGroup[];
}

/** A group key that is no option: the lr a scheduler started from (PyTorch's `initial_lr`). */
const SCHEDULER_GROUP_KEYS: readonly string[] = ['initialLr'];

/** How a subclass describes itself to the base class. */
export interface OptimizerSpec<O extends OptimizerOptions> {
  /** The class name, used in messages. */
  readonly name: string;
  /**
   * Throws PyTorch's error for an invalid option; options a group leaves undefined are skipped.
   * @param options - a group's options, the defaults, or a loaded group's options
   */
  validate(options: Partial<O>): void;
}

/**
 * An optimizer's options from its constructor's arguments after the parameters (PyTorch's
 * positional `lr`, an options object, or both), over `defaults`, which lists every option: an
 * unknown or snake_case key, a value of the wrong type or an invalid value throws, naming it.
 * The classes and the data-parallel trainer resolve options through this one function.
 * @param spec - the optimizer's name and validation
 * @param defaults - every option, a required one as `undefined`
 * @param args - the constructor's arguments after the parameters
 */
export function resolveOptimizerOptions<O extends OptimizerOptions>(
  spec: OptimizerSpec<O>,
  defaults: Readonly<Partial<O>>,
  args: readonly unknown[],
): Partial<O> {
  const options = positionalOptions<O>(spec.name, args, ['lr'], Object.keys(defaults) as (keyof O & string)[]);
  const merged = { ...defaults, ...options };
  checkOptionTypes(spec.name, merged, defaults);
  spec.validate(merged);
  return merged;
}

/**
 * Throws PyTorch's error for a required option (its default `undefined`, as SGD's `lr`) that `options` leaves out.
 * @param options - a group's options
 * @param defaults - every option, a required one as `undefined`
 */
export function checkRequiredOptions(options: Readonly<Record<string, unknown>>, defaults: Readonly<Record<string, unknown>>): void {
  for (const key of Object.keys(defaults)) {
    if (options[key] === undefined) throw new TypeError(`parameter group didn't specify a value of required optimization parameter ${key}`);
  }
}

/**
 * Base class of every optimizer, as PyTorch's `torch.optim.Optimizer`: parameter groups with
 * defaults filled in, per-parameter state, `zeroGrad`, `addParamGroup` and a state dict that lets
 * a fresh optimizer continue exactly where a saved one stopped.
 */
export abstract class Optimizer<O extends OptimizerOptions = OptimizerOptions> {
  /** The options a group gets when it does not set them (SGD's `lr` may be undefined: required). */
  readonly defaults: Readonly<Partial<O>>;
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state, created lazily by `step()`. */
  state = new Map<Tensor, ParamState>();
  protected readonly spec: OptimizerSpec<O>;

  /**
   * `defaults` holds every option the optimizer has (a required one as `undefined`): its keys are
   * the options `args` may set, positionally (`lr`) or in the options object.
   * @param params - tensors (one group) or parameter groups `{ params, ...options }`; a bare Tensor, an empty list,
   *   a non-leaf tensor or a parameter in two groups throws
   * @param defaults - every option with its default, a required one as `undefined`
   * @param args - the subclass constructor's arguments after `params`: positional `lr`, then an options object
   * @param spec - the optimizer's name (for messages) and its option checks
   */
  protected constructor(params: Params<O>, defaults: Partial<O>, args: readonly unknown[], spec: OptimizerSpec<O>) {
    this.spec = spec;
    this.defaults = resolveOptimizerOptions(spec, defaults, args);
    if (params instanceof Tensor) {
      throw new TypeError(
        `${spec.name}: params argument given to the optimizer should be an iterable of Tensors or dicts, but got a Tensor`,
      );
    }
    if (typeof (params as Partial<Iterable<unknown>> | null)?.[Symbol.iterator] !== 'function' || typeof params === 'string') {
      throw new TypeError(
        `${spec.name}: params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${formatValue(params)}`,
      );
    }
    const groups = [...(params as Iterable<Tensor | ParamGroupInput<O>>)];
    if (groups.length === 0) throw new RangeError(`${spec.name}: optimizer got an empty parameter list`);
    const asGroups = groups[0] instanceof Tensor ? [{ params: groups as Tensor[] } as unknown as ParamGroupInput<O>] : groups;
    for (const group of asGroups) this.addParamGroup(group as ParamGroupInput<O>);
  }

  /**
   * Performs one optimization step; returns what the closure returned.
   * @param closure - re-evaluates the model (clears and recomputes the gradients) and returns the loss; called once
   *   before the update, where given (LBFGS requires it and may call it up to `maxEval` times)
   */
  abstract step<L extends Loss>(closure?: Closure<L>): L | undefined;

  /**
   * Clears the gradients of every parameter: `null` by default, else zeros in place.
   * `zeroGrad(false)` as in PyTorch, or `zeroGrad({ setToNone: false })`.
   * @param args - `setToNone` (default `true`: gradients become `null` and their memory is released; `false`: filled
   *   with zeros, a row-sparse one left with no rows), positionally or as `{ setToNone }`
   */
  zeroGrad(...args: PositionalOr<[setToNone: boolean], { setToNone?: boolean }>): void {
    const options = positionalOptions<{ setToNone?: boolean }>(`${this.spec.name}.zeroGrad`, args, ['setToNone'], ['setToNone']);
    const setToNone = checkFlag(`${this.spec.name}.zeroGrad`, 'setToNone', options.setToNone) ?? true;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const grad = p.grad;
        if (grad === null) continue;
        if (setToNone) {
          // A gradient backward allocated goes back to the allocator now, not at GC.
          releaseGrad(grad);
          p.grad = null;
        } else if (grad instanceof RowSparseTensor) {
          // PyTorch's zero_() leaves a sparse gradient with no rows.
          const values = persistent(() => Tensor.empty([0, ...grad.shape.slice(1)], grad.dtype));
          p.grad = new RowSparseTensor(new Int32Array(0), values, grad.shape);
        } else {
          grad.gradFn = null;
          grad.data().fill(0);
        }
      }
    }
  }

  /**
   * Adds a parameter group, filling the options it leaves out from the defaults.
   * @param group - `params` (a Tensor or an ordered iterable of leaf tensors; a Set throws) and any of the optimizer's
   *   options; unknown keys, invalid values and parameters already in a group throw
   */
  addParamGroup(group: ParamGroupInput<O>): void {
    const name = this.spec.name;
    checkOptions(`${name} parameter group`, group, ['params', ...Object.keys(this.defaults)]);
    if (group.params === undefined) throw new TypeError(`${name}: a parameter group needs 'params'`);
    const params = group.params instanceof Tensor ? [group.params] : [...group.params];
    if (group.params instanceof Set) {
      throw new TypeError(
        `${name}: optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.`,
      );
    }
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError(`${name}: optimizer can only optimize Tensors, but one of the params is ${typeof p}`);
      if (!p.isLeaf) throw new RangeError(`${name}: can't optimize a non-leaf Tensor`);
    }
    const merged: Record<string, unknown> = { ...group, params };
    for (const [key, value] of Object.entries(this.defaults)) {
      if (merged[key] === undefined && value !== undefined) merged[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
    }
    checkRequiredOptions(merged, this.defaults);
    checkOptionTypes(`${name} parameter group`, merged, this.defaults);
    this.spec.validate(merged as Partial<O>);
    const twice = params.findIndex((p, i) => params.indexOf(p) !== i);
    if (twice !== -1) {
      throw new RangeError(
        `${name}: a parameter group lists the same parameter twice (at positions ${params.indexOf(params[twice]!)} and ${twice}); ` +
          'it would be updated twice per step: list each parameter once',
      );
    }
    const taken = new Set(this.paramGroups.flatMap((g) => g.params));
    if (params.some((p) => taken.has(p))) throw new RangeError(`${name}: some parameters appear in more than one parameter group`);
    this.paramGroups.push(merged as unknown as ParamGroup<O>);
  }

  /**
   * A snapshot of the optimizer: state keyed by parameter index and the groups' options. Tensors
   * are copied, so stepping on does not change a dict already taken.
   * @param args - none are taken: any argument throws rather than being ignored
   */
  stateDict(...args: never[]): OptimizerStateDict {
    checkNoArguments(`${this.spec.name}.stateDict`, args);
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((group) => {
      const saved: SavedParamGroup = { params: [] };
      for (const [key, value] of Object.entries(group)) {
        if (key !== 'params') saved[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
      }
      saved.params = group.params.map((p) => {
        if (!index.has(p)) index.set(p, index.size);
        return index.get(p)!;
      });
      return saved;
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = this.saveParamState(s);
    }
    return { optimizer: this.spec.name, state, paramGroups };
  }

  /**
   * Restores a state dict from `stateDict()` (this optimizer's or a same-shaped one's): state
   * tensors are copied into new buffers of each parameter's dtype (except `step`), group options
   * replace the current ones. Everything is checked before anything changes: the optimizer kind,
   * the number and sizes of the groups, the group options, each state's keys and tensor shapes.
   * @param stateDict - `{ optimizer?, state, paramGroups }` as `stateDict()` returns it (PyTorch's layout, keys
   *   camelCased); its tensors and lists are copied, not kept
   * @param extra - arguments past those taken: none are, so any throws rather than being ignored
   */
  loadStateDict(stateDict: OptimizerStateDict, ...extra: never[]): void {
    const name = this.spec.name;
    const where = `${name}.loadStateDict`;
    checkNoArguments(where, extra, 'the state dict');
    if (
      typeof stateDict !== 'object' ||
      stateDict === null ||
      !Array.isArray(stateDict.paramGroups) ||
      typeof stateDict.state !== 'object'
    ) {
      throw new TypeError(`${where}: expected { state, paramGroups } as stateDict() returns it, got ${formatValue(stateDict)}`);
    }
    if (stateDict.optimizer !== undefined && stateDict.optimizer !== name) {
      throw new TypeError(
        `${where}: the state dict was saved by ${String(stateDict.optimizer)}, not ${name}; load it into an optimizer of that kind (${String(stateDict.optimizer)})`,
      );
    }
    const saved = stateDict.paramGroups;
    if (saved.length !== this.paramGroups.length) {
      throw new RangeError(`${where}: loaded state dict has a different number of parameter groups`);
    }
    if (saved.some((g, i) => g.params.length !== this.paramGroups[i]!.params.length)) {
      throw new RangeError(`${where}: loaded state dict contains a parameter group that doesn't match the size of optimizer's group`);
    }
    const groups = saved.map((g, i) => this.loadedGroup(g, i));
    const byIndex = new Map<number, [Tensor, ParamGroup<O>]>();
    saved.forEach((g, i) => g.params.forEach((index, k) => byIndex.set(index, [groups[i]!.params[k]!, groups[i]!])));
    const state = new Map<Tensor, ParamState>();
    for (const [key, s] of Object.entries(stateDict.state)) {
      const entry = byIndex.get(Number(key));
      if (entry === undefined) throw new RangeError(`${where}: state for parameter ${key}, which no group lists`);
      const [p, group] = entry;
      this.checkLoadedState(p, s, group, `${where}: state of parameter ${key}`);
      state.set(p, this.loadParamState(p, s));
    }
    groups.forEach((group, i) => (this.paramGroups[i] = group));
    this.state = state;
  }

  /** A saved group's options over this group's parameters: unknown keys refused, missing ones from the defaults. */
  private loadedGroup(savedGroup: SavedParamGroup, i: number): ParamGroup<O> {
    const where = `${this.spec.name}.loadStateDict: parameter group ${i}`;
    const { params: _indices, ...options } = savedGroup;
    checkOptions(where, options, [...Object.keys(this.defaults), ...SCHEDULER_GROUP_KEYS]);
    const group: Record<string, unknown> = { params: this.paramGroups[i]!.params };
    for (const [key, fallback] of Object.entries(this.defaults)) {
      const value = options[key] ?? fallback;
      if (value === undefined) throw new TypeError(`${where} does not set the required option ${key}`);
      group[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
    }
    if (options['initialLr'] !== undefined) group['initialLr'] = options['initialLr'];
    checkOptionTypes(where, group, this.defaults);
    this.spec.validate(group as Partial<O>);
    return group as unknown as ParamGroup<O>;
  }

  /**
   * Throws unless a saved state fits parameter `p` of `group` (its keys are the ones this
   * optimizer keeps, its tensors have the right shapes), naming `where` and what is wrong.
   * @param p - the parameter the state belongs to
   * @param state - the parameter's saved state, keyed by PyTorch's names camelCased
   * @param group - the parameter's group, with the loaded options (they decide which buffers must be there)
   * @param where - the start of the error message ('Adam.loadStateDict: state of parameter 3')
   */
  protected abstract checkLoadedState(p: Tensor, state: ParamState, group: ParamGroup<O>, where: string): void;

  /**
   * How one parameter's state appears in a state dict: tensors copied, numbers as they are.
   * @param state - the parameter's live state; not changed
   */
  protected saveParamState(state: ParamState): ParamState {
    return Object.fromEntries(Object.entries(state).map(([key, value]) => [key, copyStateValue(value)]));
  }

  /**
   * A parameter's state from a state dict: floating tensors copied into the parameter's dtype
   * except `step` (as PyTorch's `load_state_dict` casts them).
   * @param p - the parameter, whose dtype the copied tensors take
   * @param state - the saved state, already checked by `checkLoadedState`; not changed
   */
  protected loadParamState(p: Tensor, state: ParamState): ParamState {
    return Object.fromEntries(
      Object.entries(state).map(([key, value]) => [key, copyStateValue(value, key === 'step' ? undefined : p.dtype)]),
    );
  }
}

/** What a JSON-ish value is, in words: 'a number', 'an array', 'null'. */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return `a ${typeof value}`;
}

/**
 * Throws unless every option has the type of its default (`lr` a number also where it has no
 * default): PyTorch's range checks alone would let `'0.5'` or `'true'` through.
 */
function checkOptionTypes(owner: string, options: Record<string, unknown>, defaults: Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(options)) {
    const fallback = key === 'lr' ? 0 : defaults[key];
    if (key === 'params' || value === undefined || fallback === undefined || fallback === null) continue;
    if (kindOf(value) !== kindOf(fallback)) {
      throw new TypeError(`${owner}: option '${key}' must be ${kindOf(fallback)}, got ${formatValue(value)}`);
    }
    // PyTorch lets NaN through its `x < 0` checks (SGD's lr) and takes any tuple length; Loom does
    // not: a NaN hyperparameter or a missing beta turns every weight into NaN at the first step.
    if (typeof value === 'number' && Number.isNaN(value)) throw new RangeError(`${owner}: option '${key}' is NaN`);
    if (Array.isArray(fallback) && Array.isArray(value)) {
      const pair = value.length === fallback.length && value.every((v) => typeof v === 'number' && !Number.isNaN(v));
      if (!pair) throw new TypeError(`${owner}: option '${key}' must be ${fallback.length} numbers, got ${JSON.stringify(value)}`);
    }
  }
}
