import { checkPositiveInteger, LRScheduler, type LRSchedulerOptions, type SchedulableOptimizer } from './base.js';
import { checkSchedulerOptions } from './options.js';

/** Options of {@link StepLR}. */
export interface StepLROptions extends LRSchedulerOptions {
  /** Period of lr decay, in epochs. */
  stepSize: number;
  /** Multiplicative factor of lr decay. Default 0.1. */
  gamma?: number;
}

/** Multiplies each group's lr by `gamma` every `stepSize` epochs. */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  /**
   * Checks the options and takes the initial step (epoch 0).
   * @param optimizer - the optimizer whose groups' `lr` it sets; each group's `initialLr` is recorded on a fresh start
   *   (`lastEpoch` -1) and required when resuming
   * @param options - see {@link StepLROptions}; `stepSize` is required and must be a positive integer; unknown keys throw
   */
  constructor(optimizer: SchedulableOptimizer, options: StepLROptions) {
    checkSchedulerOptions('StepLR', options);
    checkPositiveInteger('StepLR', 'stepSize', options.stepSize);
    super(optimizer, options.lastEpoch);
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
    this.start();
  }

  protected override getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma);
  }

  protected override getClosedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}

/** Options of {@link MultiStepLR}. */
export interface MultiStepLROptions extends LRSchedulerOptions {
  /** Epoch indices at which the lr decays; a repeated milestone decays once per repeat. */
  milestones: number[];
  /** Multiplicative factor of lr decay. Default 0.1. */
  gamma?: number;
}

/** Multiplies each group's lr by `gamma` at each milestone epoch. */
export class MultiStepLR extends LRScheduler {
  milestones: number[];
  gamma: number;

  /**
   * Checks the options and takes the initial step (epoch 0).
   * @param optimizer - the optimizer whose groups' `lr` it sets; each group's `initialLr` is recorded on a fresh start
   *   (`lastEpoch` -1) and required when resuming
   * @param options - see {@link MultiStepLROptions}; `milestones` is required (a list of epochs, any order); unknown keys throw
   */
  constructor(optimizer: SchedulableOptimizer, options: MultiStepLROptions) {
    checkSchedulerOptions('MultiStepLR', options);
    if (!Array.isArray(options.milestones)) {
      throw new Error(`MultiStepLR: milestones must be a list of epochs, but got ${String(options.milestones)}`);
    }
    super(optimizer, options.lastEpoch);
    this.milestones = [...options.milestones].sort((a, b) => a - b);
    this.gamma = options.gamma ?? 0.1;
    this.start();
  }

  protected override getLr(): number[] {
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    if (hits === 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma ** hits);
  }

  protected override getClosedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((base) => base * this.gamma ** passed);
  }
}

/** Options of {@link ExponentialLR}. */
export interface ExponentialLROptions extends LRSchedulerOptions {
  /** Multiplicative factor of lr decay per epoch. */
  gamma: number;
}

/** Multiplies each group's lr by `gamma` every epoch. */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  /**
   * Checks the options and takes the initial step (epoch 0).
   * @param optimizer - the optimizer whose groups' `lr` it sets; each group's `initialLr` is recorded on a fresh start
   *   (`lastEpoch` -1) and required when resuming
   * @param options - see {@link ExponentialLROptions}; `gamma` is required; unknown keys throw
   */
  constructor(optimizer: SchedulableOptimizer, options: ExponentialLROptions) {
    checkSchedulerOptions('ExponentialLR', options);
    if (typeof options.gamma !== 'number') {
      throw new Error(`ExponentialLR: gamma must be a number, but got ${String(options.gamma)}`);
    }
    super(optimizer, options.lastEpoch);
    this.gamma = options.gamma;
    this.start();
  }

  protected override getLr(): number[] {
    if (this.lastEpoch === 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma);
  }

  protected override getClosedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** this.lastEpoch);
  }
}

/** Options of {@link ConstantLR}. */
export interface ConstantLROptions extends LRSchedulerOptions {
  /** Factor applied to the lr until `totalIters`. Default 1/3. */
  factor?: number;
  /** Number of epochs the factor applies. Default 5. */
  totalIters?: number;
}

/** Multiplies each group's lr by a constant `factor` for the first `totalIters` epochs. */
export class ConstantLR extends LRScheduler {
  factor: number;
  totalIters: number;

  /**
   * Checks the options and takes the initial step (epoch 0).
   * @param optimizer - the optimizer whose groups' `lr` it sets; each group's `initialLr` is recorded on a fresh start
   *   (`lastEpoch` -1) and required when resuming
   * @param options - see {@link ConstantLROptions}; default `{}`; `factor` must lie in [0, 1]; unknown keys throw
   */
  constructor(optimizer: SchedulableOptimizer, options: ConstantLROptions = {}) {
    checkSchedulerOptions('ConstantLR', options);
    const factor = options.factor ?? 1 / 3;
    if (factor > 1 || factor < 0) {
      throw new Error(`ConstantLR: Constant multiplicative factor expected to be between 0 and 1, but got ${factor}`);
    }
    super(optimizer, options.lastEpoch);
    this.factor = factor;
    this.totalIters = options.totalIters ?? 5;
    this.start();
  }

  protected override getLr(): number[] {
    if (this.lastEpoch === 0) return this.groupLrs().map((lr) => lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * (1 / this.factor));
  }

  protected override getClosedFormLr(): number[] {
    const done = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((base) => base * (this.factor + done * (1 - this.factor)));
  }
}

/** Options of {@link LinearLR}. */
export interface LinearLROptions extends LRSchedulerOptions {
  /** Factor applied to the lr in the first epoch. Default 1/3. */
  startFactor?: number;
  /** Factor reached after `totalIters` epochs. Default 1. */
  endFactor?: number;
  /** Number of epochs over which the factor changes. Default 5. */
  totalIters?: number;
}

/** Scales each group's lr by a factor moving linearly from `startFactor` to `endFactor`. */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  /**
   * Checks the options and takes the initial step (epoch 0).
   * @param optimizer - the optimizer whose groups' `lr` it sets; each group's `initialLr` is recorded on a fresh start
   *   (`lastEpoch` -1) and required when resuming
   * @param options - see {@link LinearLROptions}; default `{}`; `startFactor` must lie in (0, 1], `endFactor` in [0, 1]; unknown keys throw
   */
  constructor(optimizer: SchedulableOptimizer, options: LinearLROptions = {}) {
    checkSchedulerOptions('LinearLR', options);
    const startFactor = options.startFactor ?? 1 / 3;
    const endFactor = options.endFactor ?? 1;
    if (startFactor > 1 || startFactor <= 0) {
      throw new Error(
        'LinearLR: Starting multiplicative factor expected to be greater than 0 and less or equal to 1, ' + `but got ${startFactor}`,
      );
    }
    if (endFactor > 1 || endFactor < 0) {
      throw new Error(`LinearLR: Ending multiplicative factor expected to be between 0 and 1, but got ${endFactor}`);
    }
    super(optimizer, options.lastEpoch);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = options.totalIters ?? 5;
    this.start();
  }

  protected override getLr(): number[] {
    if (this.lastEpoch === 0) return this.groupLrs().map((lr) => lr * this.startFactor);
    if (this.lastEpoch > this.totalIters) return this.groupLrs();
    const delta = this.endFactor - this.startFactor;
    const ratio = 1 + delta / (this.totalIters * this.startFactor + (this.lastEpoch - 1) * delta);
    return this.groupLrs().map((lr) => lr * ratio);
  }

  protected override getClosedFormLr(): number[] {
    const elapsed = Math.min(this.totalIters, this.lastEpoch);
    return this.baseLrs.map((base) => base * (this.startFactor + ((this.endFactor - this.startFactor) * elapsed) / this.totalIters));
  }
}

/** Options of {@link PolynomialLR}. */
export interface PolynomialLROptions extends LRSchedulerOptions {
  /** Number of epochs over which the lr decays to 0. Default 5. */
  totalIters?: number;
  /** Power of the polynomial. Default 1. */
  power?: number;
}

/** Decays each group's lr to 0 over `totalIters` epochs along `(1 - t / totalIters) ** power`. */
export class PolynomialLR extends LRScheduler {
  totalIters: number;
  power: number;

  /**
   * Checks the options and takes the initial step (epoch 0).
   * @param optimizer - the optimizer whose groups' `lr` it sets; each group's `initialLr` is recorded on a fresh start
   *   (`lastEpoch` -1) and required when resuming
   * @param options - see {@link PolynomialLROptions}; default `{}`; unknown keys throw
   */
  constructor(optimizer: SchedulableOptimizer, options: PolynomialLROptions = {}) {
    checkSchedulerOptions('PolynomialLR', options);
    super(optimizer, options.lastEpoch);
    this.totalIters = options.totalIters ?? 5;
    this.power = options.power ?? 1;
    this.start();
  }

  protected override getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch > this.totalIters) return this.groupLrs();
    const decay = ((1 - this.lastEpoch / this.totalIters) / (1 - (this.lastEpoch - 1) / this.totalIters)) ** this.power;
    return this.groupLrs().map((lr) => lr * decay);
  }

  protected override getClosedFormLr(): number[] {
    const remaining = 1 - Math.min(this.totalIters, this.lastEpoch) / this.totalIters;
    return this.baseLrs.map((base) => base * remaining ** this.power);
  }
}
