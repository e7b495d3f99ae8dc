import {
  checkPositiveInteger,
  formatParam,
  LRScheduler,
  supportsOption,
  type LRSchedulerOptions,
  type SchedulableOptimizer,
} from './base.js';
import { checkSchedulerOptions } from './options.js';

/** Options of {@link OneCycleLR}. Give `totalSteps`, or `epochs` and `stepsPerEpoch`. */
export interface OneCycleLROptions extends LRSchedulerOptions {
  /** Peak lr, for all groups or one per group. */
  maxLr: number | number[];
  /** Total number of steps in the cycle. */
  totalSteps?: number;
  /** With `stepsPerEpoch`, gives `totalSteps = epochs * stepsPerEpoch`. */
  epochs?: number;
  /** Steps (batches) per epoch; with `epochs`, gives `totalSteps = epochs * stepsPerEpoch`. */
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the lr. Default 0.3. */
  pctStart?: number;
  /** Annealing shape. Default 'cos'. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (or Adam's beta1) inversely to the lr. Default true. */
  cycleMomentum?: boolean;
  /** Momentum at the lr's peak. Default 0.85. */
  baseMomentum?: number | number[];
  /** Momentum at the start and end. Default 0.95. */
  maxMomentum?: number | number[];
  /** Initial lr is `maxLr / divFactor`. Default 25. */
  divFactor?: number;
  /** Minimum lr is `initialLr / finalDivFactor`. Default 1e4. */
  finalDivFactor?: number;
  /** Use three phases (up, symmetric down, annihilate) as in the paper instead of fastai's two. */
  threePhase?: boolean;
}

/** One phase of the cycle: where it ends and which per-group values it anneals between. */
interface Phase {
  endStep: number;
  startLr: 'initial' | 'max' | 'min';
  endLr: 'initial' | 'max' | 'min';
  startMomentum: 'base' | 'max';
  endMomentum: 'base' | 'max';
}

/**
 * The 1cycle policy ("Super-Convergence", https://arxiv.org/abs/1708.07120): each group's lr
 * rises from `maxLr / divFactor` to `maxLr`, then anneals far below the start, while momentum
 * moves inversely. Steps once per batch, `totalSteps` times at most.
 */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  annealStrategy: 'cos' | 'linear';
  cycleMomentum: boolean;
  /** Whether momentum lives in `betas[0]` (Adam-like optimizers). */
  useBeta1: boolean;
  maxLrs: number[];
  minLrs: number[];
  maxMomentums: number[] = [];
  baseMomentums: number[] = [];
  schedulePhases: Phase[];

  /**
   * Checks the options, sets each group's `initialLr` to `maxLr / divFactor` on a fresh start, and takes the initial step.
   * @param optimizer - the optimizer whose groups' `lr` it sets; each group's `initialLr` is recorded on a fresh start
   *   (`lastEpoch` -1) and required when resuming
   * @param options - see {@link OneCycleLROptions}; `maxLr` is required, and `totalSteps` or `epochs` with `stepsPerEpoch`
   *   (positive integers); `pctStart` in [0, 1]; `cycleMomentum` (default true) needs an optimizer with `momentum` or `betas`
   */
  constructor(optimizer: SchedulableOptimizer, options: OneCycleLROptions) {
    checkSchedulerOptions('OneCycleLR', options);
    const { totalSteps, epochs, stepsPerEpoch } = options;
    let steps: number;
    if (totalSteps === undefined && epochs === undefined && stepsPerEpoch === undefined) {
      throw new Error('OneCycleLR: You must define either totalSteps OR (epochs AND stepsPerEpoch)');
    } else if (totalSteps !== undefined) {
      checkPositiveInteger('OneCycleLR', 'totalSteps', totalSteps);
      steps = totalSteps;
    } else {
      checkPositiveInteger('OneCycleLR', 'epochs', epochs as number);
      checkPositiveInteger('OneCycleLR', 'stepsPerEpoch', stepsPerEpoch as number);
      steps = (epochs as number) * (stepsPerEpoch as number);
    }
    const pctStart = options.pctStart ?? 0.3;
    if (typeof pctStart !== 'number' || !(pctStart >= 0 && pctStart <= 1)) {
      throw new Error(`OneCycleLR: Expected float between 0 and 1 pctStart, but got ${String(pctStart)}`);
    }
    const annealStrategy = options.annealStrategy ?? 'cos';
    if (annealStrategy !== 'cos' && annealStrategy !== 'linear') {
      throw new Error(`OneCycleLR: annealStrategy must by one of 'cos' or 'linear', instead got ${String(annealStrategy)}`);
    }
    const cycleMomentum = options.cycleMomentum ?? true;
    if (cycleMomentum && !supportsOption(optimizer, 'momentum') && !supportsOption(optimizer, 'betas')) {
      throw new Error('OneCycleLR: optimizer must support momentum with `cycleMomentum` option enabled');
    }
    const maxLrs = formatParam('OneCycleLR', 'maxLr', optimizer, options.maxLr);
    const divFactor = options.divFactor ?? 25;
    const finalDivFactor = options.finalDivFactor ?? 1e4;
    const lastEpoch = options.lastEpoch ?? -1;

    super(optimizer, lastEpoch);
    this.totalSteps = steps;
    const warmupEnd = pctStart * steps - 1;
    this.schedulePhases = options.threePhase
      ? [
          { endStep: warmupEnd, startLr: 'initial', endLr: 'max', startMomentum: 'max', endMomentum: 'base' },
          {
            endStep: 2 * pctStart * steps - 2,
            startLr: 'max',
            endLr: 'initial',
            startMomentum: 'base',
            endMomentum: 'max',
          },
          { endStep: steps - 1, startLr: 'initial', endLr: 'min', startMomentum: 'max', endMomentum: 'max' },
        ]
      : [
          { endStep: warmupEnd, startLr: 'initial', endLr: 'max', startMomentum: 'max', endMomentum: 'base' },
          { endStep: steps - 1, startLr: 'max', endLr: 'min', startMomentum: 'base', endMomentum: 'max' },
        ];
    this.annealStrategy = annealStrategy;
    this.maxLrs = maxLrs;
    const initialLrs = maxLrs.map((max) => max / divFactor);
    this.minLrs = initialLrs.map((initial) => initial / finalDivFactor);
    if (lastEpoch === -1) {
      optimizer.paramGroups.forEach((group, i) => (group.initialLr = initialLrs[i] ?? group.lr));
    }

    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = cycleMomentum && supportsOption(optimizer, 'betas');
    if (cycleMomentum) {
      this.maxMomentums = formatParam('OneCycleLR', 'maxMomentum', optimizer, options.maxMomentum ?? 0.95);
      this.baseMomentums = formatParam('OneCycleLR', 'baseMomentum', optimizer, options.baseMomentum ?? 0.85);
      if (lastEpoch === -1) {
        optimizer.paramGroups.forEach((group, i) => this.setMomentum(group, this.maxMomentums[i] ?? 0));
      }
    }
    this.start();
  }

  /** Computes the lrs of step `lastEpoch`; as a side effect, writes the annealed momentum. */
  protected override getLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps) {
      throw new Error(`OneCycleLR: Tried to step ${step} times. The specified number of total steps is ${this.totalSteps}`);
    }
    return this.optimizer.paramGroups.map((group, g) => {
      const lrs = { initial: this.baseLrs[g] ?? 0, max: this.maxLrs[g] ?? 0, min: this.minLrs[g] ?? 0 };
      const momentums = { base: this.baseMomentums[g] ?? 0, max: this.maxMomentums[g] ?? 0 };
      let startStep = 0;
      let lr = 0;
      for (const [i, phase] of this.schedulePhases.entries()) {
        if (step <= phase.endStep || i === this.schedulePhases.length - 1) {
          const pct = (step - startStep) / (phase.endStep - startStep);
          lr = this.anneal(lrs[phase.startLr], lrs[phase.endLr], pct);
          if (this.cycleMomentum) {
            this.setMomentum(group, this.anneal(momentums[phase.startMomentum], momentums[phase.endMomentum], pct));
          }
          break;
        }
        startStep = phase.endStep;
      }
      return lr;
    });
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  private setMomentum(group: SchedulableOptimizer['paramGroups'][number], momentum: number): void {
    if (this.useBeta1) group.betas = [momentum, group.betas?.[1] ?? 0.999];
    else group.momentum = momentum;
  }
}
