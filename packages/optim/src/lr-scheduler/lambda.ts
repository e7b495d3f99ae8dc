import { LRScheduler, type LRSchedulerOptions, type SchedulableOptimizer } from './base.js';
import { checkSchedulerOptions } from './options.js';

/** A function of the epoch index giving a multiplicative factor. */
export type LrLambda = (epoch: number) => number;

/** Options of {@link LambdaLR} and {@link MultiplicativeLR}. */
export interface LambdaLROptions extends LRSchedulerOptions {
  /** One function for all groups, or one per group. */
  lrLambda: LrLambda | LrLambda[];
}

function lambdasFor(scheduler: string, optimizer: SchedulableOptimizer, lrLambda: LrLambda | LrLambda[]): LrLambda[] {
  const groups = optimizer.paramGroups.length;
  const lambdas = Array.isArray(lrLambda) ? [...lrLambda] : Array.from({ length: groups }, () => lrLambda);
  if (lambdas.length !== groups) {
    throw new Error(`${scheduler}: Expected ${groups} lrLambdas, but got ${lambdas.length}`);
  }
  for (const fn of lambdas) {
    if (typeof fn !== 'function') {
      throw new Error(`${scheduler}: lrLambda should be a function, but got ${typeof fn}`);
    }
  }
  return lambdas;
}

/**
 * Sets each group's lr to its initial lr times `lrLambda(epoch)`. The functions are not part of
 * `stateDict()`: pass the same ones when resuming.
 */
export class LambdaLR extends LRScheduler {
  private readonly lrLambdas: LrLambda[];

  /**
   * Checks the options and takes the initial step (epoch 0).
   * @param optimizer - the optimizer whose groups' `lr` it sets; each group's `initialLr` is recorded on a fresh start
   *   (`lastEpoch` -1) and required when resuming
   * @param options - see {@link LambdaLROptions}; `lrLambda` is required: one function for all groups, or one per group (another count
   *   throws)
   */
  constructor(optimizer: SchedulableOptimizer, options: LambdaLROptions) {
    checkSchedulerOptions('LambdaLR', options);
    const lambdas = lambdasFor('LambdaLR', optimizer, options.lrLambda);
    super(optimizer, options.lastEpoch);
    this.lrLambdas = lambdas;
    this.start();
  }

  protected override nonStateKeys(): string[] {
    return ['lrLambdas'];
  }

  protected override getLr(): number[] {
    return this.baseLrs.map((base, i) => base * (this.lrLambdas[i]?.(this.lastEpoch) ?? 1));
  }
}

/**
 * Multiplies each group's lr by `lrLambda(epoch)` at every epoch after the first. The functions
 * are not part of `stateDict()`: pass the same ones when resuming.
 */
export class MultiplicativeLR extends LRScheduler {
  private readonly lrLambdas: LrLambda[];

  /**
   * Checks the options and takes the initial step (epoch 0).
   * @param optimizer - the optimizer whose groups' `lr` it sets; each group's `initialLr` is recorded on a fresh start
   *   (`lastEpoch` -1) and required when resuming
   * @param options - see {@link LambdaLROptions}; `lrLambda` is required: one function for all groups, or one per group (another count
   *   throws)
   */
  constructor(optimizer: SchedulableOptimizer, options: LambdaLROptions) {
    checkSchedulerOptions('MultiplicativeLR', options);
    const lambdas = lambdasFor('MultiplicativeLR', optimizer, options.lrLambda);
    super(optimizer, options.lastEpoch);
    this.lrLambdas = lambdas;
    this.start();
  }

  protected override nonStateKeys(): string[] {
    return ['lrLambdas'];
  }

  protected override getLr(): number[] {
    if (this.lastEpoch <= 0) return this.groupLrs();
    return this.groupLrs().map((lr, i) => lr * (this.lrLambdas[i]?.(this.lastEpoch) ?? 1));
  }
}
