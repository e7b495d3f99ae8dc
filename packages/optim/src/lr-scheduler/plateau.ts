import { checkNoArguments, checkNumber, formatValue, Tensor } from '@loom/core';
import { checkSchedulerState, formatParam, type SchedulableOptimizer, type SchedulerState } from './base.js';
import { checkSchedulerOptions } from './options.js';

/** Options of {@link ReduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  /** 'min': reduce when the metric stops decreasing; 'max': when it stops increasing. Default 'min'. */
  mode?: 'min' | 'max';
  /** Factor by which the lr is reduced, `newLr = lr * factor`. Default 0.1. */
  factor?: number;
  /** Epochs without improvement tolerated before reducing. Default 10. */
  patience?: number;
  /** Minimum change that counts as an improvement. Default 1e-4. */
  threshold?: number;
  /** 'rel': improvement relative to the best; 'abs': absolute. Default 'rel'. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again. Default 0. */
  cooldown?: number;
  /** Lower bound on the lr, for all groups or one per group. Default 0. */
  minLr?: number | number[];
  /** Reductions smaller than this are skipped. Default 1e-8. */
  eps?: number;
}

/**
 * Reduces each group's lr by `factor` when a metric has stopped improving for `patience`
 * epochs, as PyTorch's `ReduceLROnPlateau`. Call `step(metric)` once per epoch.
 */
export class ReduceLROnPlateau {
  readonly optimizer: SchedulableOptimizer;
  factor: number;
  minLrs: number[];
  patience: number;
  cooldown: number;
  cooldownCounter = 0;
  mode: 'min' | 'max';
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  /** Best metric seen; starts at the worst value of the mode (±Infinity). */
  best: number;
  numBadEpochs = 0;
  eps: number;
  lastEpoch = 0;
  private lastLr: number[];

  /**
   * Checks the options; unlike the epoch schedulers it changes no lr until a plateau.
   * @param optimizer - the optimizer whose groups' `lr` it reduces
   * @param options - see {@link ReduceLROnPlateauOptions}; default `{}`; `factor` must be < 1, `mode` 'min' or 'max',
   *   `thresholdMode` 'rel' or 'abs', `minLr` one number or one per group; unknown keys throw
   */
  constructor(optimizer: SchedulableOptimizer, options: ReduceLROnPlateauOptions = {}) {
    checkSchedulerOptions('ReduceLROnPlateau', options);
    const factor = options.factor ?? 0.1;
    if (factor >= 1) throw new Error(`ReduceLROnPlateau: Factor should be < 1.0, but got ${factor}`);
    const mode = options.mode ?? 'min';
    const thresholdMode = options.thresholdMode ?? 'rel';
    checkModes(mode, thresholdMode);
    this.optimizer = optimizer;
    this.factor = factor;
    this.minLrs = formatParam('ReduceLROnPlateau', 'minLr', optimizer, options.minLr ?? 0);
    this.patience = options.patience ?? 10;
    this.cooldown = options.cooldown ?? 0;
    this.mode = mode;
    this.threshold = options.threshold ?? 1e-4;
    this.thresholdMode = thresholdMode;
    this.eps = options.eps ?? 1e-8;
    this.best = this.modeWorse();
    this.lastLr = optimizer.paramGroups.map((group) => group.lr);
  }

  /**
   * Records this epoch's metric (a number or a one-element tensor, such as the validation loss)
   * and reduces the lrs if it has plateaued. Without a metric it throws, as PyTorch does: counting
   * a missing value as a bad epoch would cut the lr for no reason.
   * @param metric - the monitored quantity for this epoch, a number or a one-element tensor; NaN never improves
   * @param epoch - the epoch index to record as `lastEpoch`; default `lastEpoch` + 1 (PyTorch's deprecated form)
   * @param extra - arguments past those taken: none are, so any throws rather than being ignored
   */
  step(metric: number | Tensor, epoch?: number, ...extra: never[]): void {
    checkNoArguments('ReduceLROnPlateau.step', extra, 'the metric and an optional epoch');
    const current = metric instanceof Tensor ? metric.item() : metric;
    if (typeof current !== 'number') {
      throw new TypeError(
        `ReduceLROnPlateau.step: needs the metric it monitors (e.g. the validation loss), got ${current === undefined ? 'nothing' : formatValue(current)}; call step(metric) once per epoch`,
      );
    }
    this.lastEpoch = epoch === undefined ? this.lastEpoch + 1 : checkNumber('ReduceLROnPlateau.step', 'epoch', epoch);
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs during cooldown don't count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((group) => group.lr);
  }

  /** The lrs in effect after the last `step()`, one per parameter group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Whether a reduction happened within the last `cooldown` epochs. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /**
   * Whether metric `a` improves on `best` by more than the threshold.
   * @param a - the new metric value
   * @param best - the best value so far (±Infinity before the first); 'rel' mode scales the threshold by it
   */
  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min' && this.thresholdMode === 'rel') return a < best * (1 - this.threshold);
    if (this.mode === 'min') return a < best - this.threshold;
    if (this.thresholdMode === 'rel') return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  /**
   * The scheduler's state as a plain JSON object; a non-finite `best` is stored as a string.
   * @param args - none are taken: any argument throws rather than being ignored
   */
  stateDict(...args: never[]): SchedulerState {
    checkNoArguments('ReduceLROnPlateau.stateDict', args);
    return {
      factor: this.factor,
      minLrs: [...this.minLrs],
      patience: this.patience,
      cooldown: this.cooldown,
      cooldownCounter: this.cooldownCounter,
      mode: this.mode,
      threshold: this.threshold,
      thresholdMode: this.thresholdMode,
      best: Number.isFinite(this.best) ? this.best : String(this.best),
      numBadEpochs: this.numBadEpochs,
      eps: this.eps,
      lastEpoch: this.lastEpoch,
      lastLr: [...this.lastLr],
    };
  }

  /**
   * Restores a state returned by `stateDict()`.
   * @param state - exactly the keys `stateDict()` writes (a missing or extra key throws), with `minLrs` and `lastLr` of
   *   one value per parameter group; a `best` stored as 'Infinity' or '-Infinity' reads back as that number
   * @param extra - arguments past those taken: none are, so any throws rather than being ignored
   */
  loadStateDict(state: SchedulerState, ...extra: never[]): void {
    checkSchedulerState('ReduceLROnPlateau.loadStateDict', state, extra);
    const expected = Object.keys(this.stateDict());
    const wrong = Object.keys(state).find((key) => !expected.includes(key)) ?? expected.find((key) => !(key in state));
    if (wrong !== undefined) {
      throw new Error(
        `ReduceLROnPlateau.loadStateDict: the state ${wrong in state ? 'has the unexpected' : 'lacks the'} key '${wrong}' (expected ${expected.join(', ')})`,
      );
    }
    checkModes(String(state.mode), String(state.thresholdMode));
    const groups = this.optimizer.paramGroups.length;
    for (const key of ['minLrs', 'lastLr']) {
      const list = state[key];
      if (Array.isArray(list) && list.length !== groups) {
        throw new RangeError(
          `ReduceLROnPlateau.loadStateDict: '${key}' holds ${list.length} values, but the optimizer has ${groups} parameter groups`,
        );
      }
    }
    this.factor = Number(state.factor);
    this.minLrs = numbers(state.minLrs);
    this.patience = Number(state.patience);
    this.cooldown = Number(state.cooldown);
    this.cooldownCounter = Number(state.cooldownCounter);
    this.mode = state.mode as 'min' | 'max';
    this.threshold = Number(state.threshold);
    this.thresholdMode = state.thresholdMode as 'rel' | 'abs';
    this.best = Number(state.best);
    this.numBadEpochs = Number(state.numBadEpochs);
    this.eps = Number(state.eps);
    this.lastEpoch = Number(state.lastEpoch);
    this.lastLr = numbers(state.lastLr);
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((group, i) => {
      const oldLr = group.lr;
      const newLr = Math.max(oldLr * this.factor, this.minLrs[i] ?? 0);
      if (oldLr - newLr > this.eps) group.lr = newLr;
    });
  }

  private modeWorse(): number {
    return this.mode === 'min' ? Infinity : -Infinity;
  }
}

function checkModes(mode: string, thresholdMode: string): void {
  if (mode !== 'min' && mode !== 'max') throw new Error(`ReduceLROnPlateau: mode ${mode} is unknown!`);
  if (thresholdMode !== 'rel' && thresholdMode !== 'abs') {
    throw new Error(`ReduceLROnPlateau: threshold mode ${thresholdMode} is unknown!`);
  }
}

function numbers(value: unknown): number[] {
  if (!Array.isArray(value)) throw new Error(`ReduceLROnPlateau.loadStateDict: expected a list, got ${String(value)}`);
  return value.map(Number);
}
