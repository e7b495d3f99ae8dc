import { checkNoArguments, checkNumber, formatValue, isOptionsObject } from '@loom/core';
/** A value that survives `JSON.stringify` / `JSON.parse` unchanged. */
export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A scheduler's state: a plain JSON object, as returned by `stateDict()`. */
export type SchedulerState = { [key: string]: JsonValue };

/**
 * Throws unless `state` is a plain object, as `stateDict()` returns, with nothing after it.
 * @param owner - the method named in the error ('StepLR.loadStateDict')
 * @param state - what the caller passed as the state
 * @param extra - the arguments after it (none are taken)
 */
export function checkSchedulerState(owner: string, state: unknown, extra: readonly unknown[]): asserts state is SchedulerState {
  checkNoArguments(owner, extra, 'the state');
  if (!isOptionsObject(state))
    throw new TypeError(`${owner}: expected a state object as stateDict() returns it, got ${formatValue(state)}`);
}

/**
 * The part of a parameter group a scheduler reads and writes. `initialLr` is PyTorch's
 * `initial_lr`: the lr a schedule starts from, written by the first scheduler attached.
 */
export interface SchedulableParamGroup {
  lr: number;
  initialLr?: number;
  momentum?: number;
  betas?: readonly [number, number];
}

/**
 * What a scheduler needs of an optimizer: its parameter groups, whose `lr` the optimizer reads
 * at each step. `defaults`, when present, says which hyperparameters the optimizer supports
 * (PyTorch checks `'momentum' in optimizer.defaults` before cycling momentum).
 */
export interface SchedulableOptimizer {
  paramGroups: SchedulableParamGroup[];
  defaults?: object;
}

/** Options every epoch-driven scheduler accepts. PyTorch's deprecated `verbose` is refused (see `checkSchedulerOptions`). */
export interface LRSchedulerOptions {
  /** Index of the last epoch; -1 starts the schedule, anything else resumes it. */
  lastEpoch?: number;
}

/**
 * Adjusts the learning rate of an optimizer's parameter groups once per `step()`, as PyTorch's
 * `torch.optim.lr_scheduler.LRScheduler` (1.13). Subclasses set their fields, then call
 * `start()`, which records the base lrs and takes the initial step (epoch 0).
 */
export abstract class LRScheduler {
  readonly optimizer: SchedulableOptimizer;
  /** Index of the epoch whose lr is in effect. */
  lastEpoch: number;
  /** The lr each group started from (its `initialLr`). */
  baseLrs: number[] = [];
  /** How many times `step()` ran, the initial step included; CosineAnnealingLR reads it. */
  stepCount = 0;
  protected lastLr: number[];

  /**
   * For subclasses, which set their fields and then call `start()`.
   * @param optimizer - the optimizer whose groups' `lr` the scheduler sets
   * @param lastEpoch - index of the last epoch: -1 (default) starts the schedule, another value resumes it (each group
   *   must then hold its `initialLr`)
   */
  constructor(optimizer: SchedulableOptimizer, lastEpoch = -1) {
    this.optimizer = optimizer;
    this.lastEpoch = lastEpoch;
    this.lastLr = optimizer.paramGroups.map((group) => group.lr);
  }

  /** The lrs the last `step()` set, one per parameter group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * Advances one epoch and writes the new lrs into the optimizer. With `epoch`, jumps there
   * using the closed form where the scheduler has one (PyTorch's deprecated form).
   * @param epoch - the epoch to jump to; default: the next one (`lastEpoch` + 1), by the chainable form
   * @param extra - arguments past those taken: none are, so any throws rather than being ignored
   */
  step(epoch?: number, ...extra: never[]): void {
    checkNoArguments(`${this.constructor.name}.step`, extra, 'an optional epoch');
    if (epoch !== undefined) checkNumber(`${this.constructor.name}.step`, 'epoch', epoch);
    this.stepCount += 1;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch += 1;
      values = this.getLr();
    } else {
      this.lastEpoch = epoch;
      values = this.getClosedFormLr() ?? this.getLr();
    }
    this.setLrs(values);
  }

  /** Resets the step count and takes the step that puts epoch 0's lr in effect. */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /**
   * The scheduler's state as a plain JSON object (everything but the optimizer).
   * @param args - none are taken: any argument throws rather than being ignored
   */
  stateDict(...args: never[]): SchedulerState {
    checkNoArguments(`${this.constructor.name}.stateDict`, args);
    const excluded = new Set(['optimizer', ...this.nonStateKeys()]);
    const state: SchedulerState = {};
    for (const [key, value] of Object.entries(this)) {
      if (!excluded.has(key)) state[key] = structuredClone(value) as JsonValue;
    }
    return state;
  }

  /**
   * Restores a state returned by `stateDict()`, so that the schedule continues exactly. A state
   * of another scheduler (unknown keys), of another type per key, or for another number of
   * parameter groups throws before anything changes.
   * @param state - a state from `stateDict()` of the same scheduler class; it is copied, not kept
   * @param extra - arguments past those taken: none are, so any throws rather than being ignored
   */
  loadStateDict(state: SchedulerState, ...extra: never[]): void {
    const name = `${this.constructor.name}.loadStateDict`;
    checkSchedulerState(name, state, extra);
    const excluded = new Set(['optimizer', ...this.nonStateKeys()]);
    for (const [key, value] of Object.entries(state)) {
      if (excluded.has(key) || !Object.hasOwn(this, key)) throw new Error(`${name}: unexpected key '${key}' in state`);
      const current: unknown = (this as Record<string, unknown>)[key];
      if (current !== undefined && current !== null && value !== null && kindOf(value) !== kindOf(current)) {
        throw new TypeError(`${name}: '${key}' is ${kindOf(value)} in the state, but ${kindOf(current)} here`);
      }
      // One value per parameter group (none in a composite, whose children hold them).
      if ((key === 'baseLrs' || key === 'lastLr') && Array.isArray(value) && Array.isArray(current) && value.length !== current.length) {
        throw new RangeError(
          `${name}: '${key}' holds ${value.length} values, but ${current.length} are expected (one per parameter group)`,
        );
      }
    }
    Object.assign(this, structuredClone(state));
  }

  /** The lrs of the epoch `lastEpoch`, in PyTorch's chainable (recursive) form. */
  protected abstract getLr(): number[];

  /** The lrs of epoch `lastEpoch` computed from `baseLrs` alone, where a closed form exists. */
  protected getClosedFormLr(): number[] | null {
    return null;
  }

  /** Own fields that are not state (functions, child schedulers). */
  protected nonStateKeys(): string[] {
    return [];
  }

  /** PyTorch's `LRScheduler.__init__` after the subclass has set its fields. */
  protected start(): void {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === -1) {
      for (const group of groups) group.initialLr ??= group.lr;
    }
    this.baseLrs = groups.map((group, i) => {
      if (group.initialLr === undefined) {
        throw new Error(
          `${this.constructor.name}: param 'initialLr' is not specified in paramGroups[${i}] ` + 'when resuming an optimizer',
        );
      }
      return group.initialLr;
    });
    this.initialStep();
  }

  /**
   * Writes the lrs into the parameter groups and records them as the last lrs.
   * @param values - one lr per parameter group, in order; a group without one keeps its lr
   */
  protected setLrs(values: readonly number[]): void {
    const groups = this.optimizer.paramGroups;
    groups.forEach((group, i) => {
      const lr = values[i];
      if (lr !== undefined) group.lr = lr;
    });
    this.lastLr = groups.map((group) => group.lr);
  }

  /** The current lr of every group. */
  protected groupLrs(): number[] {
    return this.optimizer.paramGroups.map((group) => group.lr);
  }
}

function kindOf(value: unknown): string {
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}

/** A per-group value given once for all groups or as one value per group (PyTorch's `_format_param`). */
export function formatParam<T>(scheduler: string, name: string, optimizer: SchedulableOptimizer, param: T | readonly T[]): T[] {
  const groups = optimizer.paramGroups.length;
  if (Array.isArray(param)) {
    if (param.length !== groups) {
      throw new Error(`${scheduler}: expected ${groups} values for ${name}, got ${param.length}`);
    }
    return [...(param as readonly T[])];
  }
  return Array.from({ length: groups }, () => param as T);
}

/** Whether the optimizer has a hyperparameter (looked up in `defaults`, else in the first group). */
export function supportsOption(optimizer: SchedulableOptimizer, key: string): boolean {
  const source = optimizer.defaults ?? optimizer.paramGroups[0];
  return source !== undefined && key in source;
}

/** Throws unless `value` is a positive integer, naming the scheduler and option. */
export function checkPositiveInteger(scheduler: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${scheduler}: Expected positive integer ${name}, but got ${String(value)}`);
  }
}
