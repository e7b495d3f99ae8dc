import { formatParam, LRScheduler, supportsOption, type LRSchedulerOptions, type SchedulableOptimizer } from './base.js';
import { checkSchedulerOptions } from './options.js';

/** The built-in amplitude policies of {@link CyclicLR}. */
export type CyclicLRMode = 'triangular' | 'triangular2' | 'exp_range';

/** Options of {@link CyclicLR}. */
export interface CyclicLROptions extends LRSchedulerOptions {
  /** Lower lr boundary of the cycle, for all groups or one per group. */
  baseLr: number | number[];
  /** Upper lr boundary of the cycle, for all groups or one per group. */
  maxLr: number | number[];
  /** Iterations in the increasing half of a cycle. Default 2000. */
  stepSizeUp?: number;
  /** Iterations in the decreasing half of a cycle. Default `stepSizeUp`. */
  stepSizeDown?: number;
  /** Amplitude policy, ignored when `scaleFn` is given. Default 'triangular'. */
  mode?: CyclicLRMode;
  /** Base of the 'exp_range' policy, `gamma ** iterations`. Default 1. */
  gamma?: number;
  /** Custom amplitude policy, 0 <= scaleFn(x) <= 1; overrides `mode`. */
  scaleFn?: (x: number) => number;
  /** Whether `scaleFn` takes the cycle number or the iteration count. Default 'cycle'. */
  scaleMode?: 'cycle' | 'iterations';
  /** Cycle momentum inversely to the lr. Default true. */
  cycleMomentum?: boolean;
  /** Lower momentum boundary (reached at the lr's peak). Default 0.8. */
  baseMomentum?: number | number[];
  /** Upper momentum boundary (at the lr's base). Default 0.9. */
  maxMomentum?: number | number[];
}

const MODES: readonly string[] = ['triangular', 'triangular2', 'exp_range'];

/**
 * Cycles each group's lr between `baseLr` and `maxLr` with a constant period, as in
 * "Cyclical Learning Rates for Training Neural Networks" (https://arxiv.org/abs/1506.01186);
 * steps once per batch. With `cycleMomentum`, the optimizer's momentum cycles inversely.
 */
export class CyclicLR extends LRScheduler {
  maxLrs: number[];
  totalSize: number;
  stepRatio: number;
  mode: string;
  gamma: number;
  scaleMode: 'cycle' | 'iterations';
  cycleMomentum: boolean;
  baseMomentums: number[] = [];
  maxMomentums: number[] = [];
  private readonly scaleFnCustom: ((x: number) => number) | undefined;

  /**
   * Checks the options, sets each group's lr to `baseLr` (and momentum to `baseMomentum`) on a fresh start, and takes the initial step.
   * @param optimizer - the optimizer whose groups' `lr` it sets; each group's `initialLr` is recorded on a fresh start
   *   (`lastEpoch` -1) and required when resuming
   * @param options - see {@link CyclicLROptions}; `baseLr` and `maxLr` are required; `mode` must be a
   *   {@link CyclicLRMode} unless `scaleFn` is given; `cycleMomentum` (default true) needs an optimizer with `momentum`
   */
  constructor(optimizer: SchedulableOptimizer, options: CyclicLROptions) {
    checkSchedulerOptions('CyclicLR', options);
    const lastEpoch = options.lastEpoch ?? -1;
    const baseLrs = formatParam('CyclicLR', 'baseLr', optimizer, options.baseLr);
    const maxLrs = formatParam('CyclicLR', 'maxLr', optimizer, options.maxLr);
    const mode = options.mode ?? 'triangular';
    if (options.scaleMode !== undefined) {
      if (options.scaleMode !== 'cycle' && options.scaleMode !== 'iterations') {
        throw new RangeError(`CyclicLR: scaleMode must be 'cycle' or 'iterations', got ${JSON.stringify(options.scaleMode)}`);
      }
      // PyTorch overwrites scale_mode silently when there is no scale_fn; Loom says so instead.
      if (options.scaleFn === undefined) {
        throw new TypeError(
          `CyclicLR: scaleMode applies to a scaleFn only; mode '${String(mode)}' fixes its own, so leave scaleMode out or pass a scaleFn`,
        );
      }
    }
    if (!MODES.includes(mode) && options.scaleFn === undefined) {
      throw new Error(`CyclicLR: mode is invalid and scaleFn is None (got mode '${String(mode)}')`);
    }
    const cycleMomentum = options.cycleMomentum ?? true;
    if (cycleMomentum && !supportsOption(optimizer, 'momentum')) {
      throw new Error('CyclicLR: optimizer must support momentum with `cycleMomentum` option enabled');
    }
    const stepSizeUp = options.stepSizeUp ?? 2000;
    const stepSizeDown = options.stepSizeDown ?? stepSizeUp;

    super(optimizer, lastEpoch);
    if (lastEpoch === -1) {
      optimizer.paramGroups.forEach((group, i) => (group.lr = baseLrs[i] ?? group.lr));
    }
    this.maxLrs = maxLrs;
    this.totalSize = stepSizeUp + stepSizeDown;
    this.stepRatio = stepSizeUp / this.totalSize;
    this.mode = mode;
    this.gamma = options.gamma ?? 1;
    this.scaleFnCustom = options.scaleFn;
    // The built-in policies fix their own scale mode, as in PyTorch.
    const builtInScaleMode = mode === 'exp_range' ? 'iterations' : 'cycle';
    this.scaleMode = options.scaleFn === undefined ? builtInScaleMode : (options.scaleMode ?? 'cycle');
    this.cycleMomentum = cycleMomentum;
    if (cycleMomentum) {
      const baseMomentums = formatParam('CyclicLR', 'baseMomentum', optimizer, options.baseMomentum ?? 0.8);
      if (lastEpoch === -1) {
        optimizer.paramGroups.forEach((group, i) => (group.momentum = baseMomentums[i] ?? group.momentum));
      }
      this.baseMomentums = optimizer.paramGroups.map((group) => group.momentum ?? 0);
      this.maxMomentums = formatParam('CyclicLR', 'maxMomentum', optimizer, options.maxMomentum ?? 0.9);
    }
    this.start();
    // As PyTorch: the initial step scaled from the groups' initialLr, later steps from baseLr.
    this.baseLrs = baseLrs;
  }

  /**
   * The amplitude scale at `x` (a cycle number or an iteration count, per `scaleMode`).
   * @param x - the 1-based cycle number with `scaleMode` 'cycle', else the iteration count (`lastEpoch`)
   */
  scaleFn(x: number): number {
    if (this.scaleFnCustom !== undefined) return this.scaleFnCustom(x);
    if (this.mode === 'triangular2') return 1 / 2 ** (x - 1);
    if (this.mode === 'exp_range') return this.gamma ** x;
    return 1;
  }

  protected override nonStateKeys(): string[] {
    return ['scaleFnCustom'];
  }

  /** Computes the lrs of batch `lastEpoch`; as a side effect, writes the cycled momentum. */
  protected override getLr(): number[] {
    const cycle = Math.floor(1 + this.lastEpoch / this.totalSize);
    const x = 1 + this.lastEpoch / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scale = this.scaleFn(this.scaleMode === 'cycle' ? cycle : this.lastEpoch);

    const lrs = this.baseLrs.map((base, i) => base + ((this.maxLrs[i] ?? base) - base) * scaleFactor * scale);
    if (this.cycleMomentum) {
      const groups = this.optimizer.paramGroups;
      this.baseMomentums.forEach((base, i) => {
        const max = this.maxMomentums[i] ?? base;
        const group = groups[i];
        if (group !== undefined) group.momentum = max - (max - base) * scaleFactor * scale;
      });
    }
    return lrs;
  }
}
