import { checkNoArguments, checkNumber } from '@loom/core';
import { checkPositiveInteger, LRScheduler, type LRSchedulerOptions, type SchedulableOptimizer } from './base.js';
import { checkSchedulerOptions } from './options.js';

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions extends LRSchedulerOptions {
  /** Number of epochs of one half cosine, from the initial lr down to `etaMin`. */
  TMax: number;
  /** Minimum lr. Default 0. */
  etaMin?: number;
}

/**
 * Anneals each group's lr along a cosine from its initial value to `etaMin` over `TMax` epochs,
 * then back up (SGDR without restarts, https://arxiv.org/abs/1608.03983).
 *
 * The lr is updated recursively from the group's current lr, as PyTorch does, so that changes
 * made to the lr from outside carry through; set solely by this scheduler it follows
 * `etaMin + (base - etaMin) * (1 + cos(pi * t / TMax)) / 2`.
 */
export class CosineAnnealingLR extends LRScheduler {
  TMax: number;
  etaMin: number;

  /**
   * Checks the options and takes the initial step (epoch 0).
   * @param optimizer - the optimizer whose groups' `lr` it sets; each group's `initialLr` is recorded on a fresh start
   *   (`lastEpoch` -1) and required when resuming
   * @param options - see {@link CosineAnnealingLROptions}; `TMax` is required and must be > 0; unknown keys throw
   */
  constructor(optimizer: SchedulableOptimizer, options: CosineAnnealingLROptions) {
    checkSchedulerOptions('CosineAnnealingLR', options);
    if (typeof options.TMax !== 'number' || !(options.TMax > 0)) {
      throw new Error(`CosineAnnealingLR: Expected positive TMax, but got ${String(options.TMax)}`);
    }
    super(optimizer, options.lastEpoch);
    this.TMax = options.TMax;
    this.etaMin = options.etaMin ?? 0;
    this.start();
  }

  protected override getLr(): number[] {
    const { lastEpoch: epoch, TMax, etaMin } = this;
    if (epoch === 0) return this.groupLrs();
    if (this.stepCount === 1 && epoch > 0) {
      return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((epoch * Math.PI) / TMax))) / 2);
    }
    // At the bottom of the cosine the ratio below is 0/0; step up by the closed-form increment instead.
    if ((epoch - 1 - TMax) % (2 * TMax) === 0) {
      const groups = this.optimizer.paramGroups;
      return this.baseLrs.map((base, i) => (groups[i]?.lr ?? 0) + ((base - etaMin) * (1 - Math.cos(Math.PI / TMax))) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * epoch) / TMax)) / (1 + Math.cos((Math.PI * (epoch - 1)) / TMax));
    return this.groupLrs().map((lr) => ratio * (lr - etaMin) + etaMin);
  }

  protected override getClosedFormLr(): number[] {
    const cos = 1 + Math.cos((Math.PI * this.lastEpoch) / this.TMax);
    return this.baseLrs.map((base) => this.etaMin + ((base - this.etaMin) * cos) / 2);
  }
}

/** Options of {@link CosineAnnealingWarmRestarts}. */
export interface CosineAnnealingWarmRestartsOptions extends LRSchedulerOptions {
  /** Number of epochs until the first restart. */
  T0: number;
  /** Factor by which the period grows after each restart. Default 1. */
  TMult?: number;
  /** Minimum lr. Default 0. */
  etaMin?: number;
}

/**
 * Anneals each group's lr along a cosine from its initial value towards `etaMin`, restarting at
 * the initial value after `T0` epochs, then after `T0 * TMult`, … (SGDR, https://arxiv.org/abs/1608.03983).
 * `step(epoch)` accepts fractional epochs, for stepping once per batch.
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  T0: number;
  /** Length of the current period. */
  Ti: number;
  TMult: number;
  etaMin: number;
  /** Epochs since the last restart. */
  TCur: number;

  /**
   * Checks the options and takes the initial step (epoch 0).
   * @param optimizer - the optimizer whose groups' `lr` it sets; each group's `initialLr` is recorded on a fresh start
   *   (`lastEpoch` -1) and required when resuming
   * @param options - see {@link CosineAnnealingWarmRestartsOptions}; `T0` is required and must be a positive integer, `TMult` an integer
   *   ≥ 1; unknown keys throw
   */
  constructor(optimizer: SchedulableOptimizer, options: CosineAnnealingWarmRestartsOptions) {
    checkSchedulerOptions('CosineAnnealingWarmRestarts', options);
    const { T0, TMult = 1, etaMin = 0 } = options;
    checkPositiveInteger('CosineAnnealingWarmRestarts', 'T0', T0);
    if (!Number.isInteger(TMult) || TMult < 1) {
      throw new Error(`CosineAnnealingWarmRestarts: Expected integer TMult >= 1, but got ${String(TMult)}`);
    }
    if (typeof etaMin !== 'number') {
      throw new Error(`CosineAnnealingWarmRestarts: Expected float or int etaMin, but got ${String(etaMin)}`);
    }
    super(optimizer, options.lastEpoch);
    this.T0 = T0;
    this.Ti = T0;
    this.TMult = TMult;
    this.etaMin = etaMin;
    this.TCur = this.lastEpoch;
    this.start();
  }

  /**
   * Advances one epoch, or jumps to `epoch` (which may be fractional: epoch + batch / batches).
   * @param epoch - the epoch to jump to, ≥ 0 (a negative one throws); default: the next epoch (0 at the first call)
   * @param extra - arguments past those taken: none are, so any throws rather than being ignored
   */
  override step(epoch?: number, ...extra: never[]): void {
    checkNoArguments('CosineAnnealingWarmRestarts.step', extra, 'an optional epoch');
    if (epoch !== undefined) checkNumber('CosineAnnealingWarmRestarts.step', 'epoch', epoch);
    let target = epoch;
    if (target === undefined && this.lastEpoch < 0) target = 0;
    if (target === undefined) {
      target = this.lastEpoch + 1;
      this.TCur += 1;
      if (this.TCur >= this.Ti) {
        this.TCur -= this.Ti;
        this.Ti *= this.TMult;
      }
    } else {
      if (target < 0) throw new Error(`CosineAnnealingWarmRestarts: Expected non-negative epoch, but got ${target}`);
      if (target >= this.T0) {
        if (this.TMult === 1) {
          this.TCur = target % this.T0;
        } else {
          const n = Math.trunc(Math.log((target / this.T0) * (this.TMult - 1) + 1) / Math.log(this.TMult));
          this.TCur = target - (this.T0 * (this.TMult ** n - 1)) / (this.TMult - 1);
          this.Ti = this.T0 * this.TMult ** n;
        }
      } else {
        this.Ti = this.T0;
        this.TCur = target;
      }
    }
    this.lastEpoch = Math.floor(target);
    this.setLrs(this.getLr());
  }

  protected override getLr(): number[] {
    const cos = 1 + Math.cos((Math.PI * this.TCur) / this.Ti);
    return this.baseLrs.map((base) => this.etaMin + ((base - this.etaMin) * cos) / 2);
  }
}
