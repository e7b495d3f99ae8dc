import { checkNoArguments } from '@loom/core';
import { checkSchedulerState, LRScheduler, type LRSchedulerOptions, type SchedulableOptimizer, type SchedulerState } from './base.js';
import { checkSchedulerOptions } from './options.js';

/** Options of {@link SequentialLR}. */
export interface SequentialLROptions extends LRSchedulerOptions {
  /** Schedulers built on the same optimizer, used one after the other. */
  schedulers: LRScheduler[];
  /** Epochs at which the next scheduler takes over; one fewer than the schedulers. */
  milestones: number[];
}

/** Child states stored under `schedulers`, the wrapper's own fields beside them. */
function compositeState(own: SchedulerState, schedulers: readonly LRScheduler[]): SchedulerState {
  return { ...own, schedulers: schedulers.map((s) => s.stateDict()) };
}

function loadComposite(
  name: string,
  state: SchedulerState,
  schedulers: readonly LRScheduler[],
  loadOwn: (own: SchedulerState) => void,
): void {
  const { schedulers: children, ...own } = state;
  if (!Array.isArray(children) || children.length !== schedulers.length) {
    throw new Error(`${name}.loadStateDict: expected ${schedulers.length} scheduler states`);
  }
  loadOwn(own);
  schedulers.forEach((s, i) => s.loadStateDict(children[i] as SchedulerState));
}

/**
 * Runs one scheduler after another: `schedulers[i]` is stepped from `milestones[i - 1]` on,
 * restarting its schedule (closed form at epoch 0) when it takes over.
 */
export class SequentialLR extends LRScheduler {
  private readonly schedulers: LRScheduler[];
  milestones: number[];

  /**
   * Checks the schedulers and milestones, resets each group's lr to its `initialLr` and restarts the first scheduler.
   * @param optimizer - the optimizer every scheduler in `options.schedulers` was built on; each group needs `initialLr`
   * @param options - see {@link SequentialLROptions}: at least one scheduler and one milestone fewer, both required;
   *   unknown keys throw
   */
  constructor(optimizer: SchedulableOptimizer, options: SequentialLROptions) {
    checkSchedulerOptions('SequentialLR', options);
    const { schedulers, milestones } = options;
    if (schedulers.length === 0) throw new Error('SequentialLR: expects at least one scheduler');
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) {
        throw new Error(
          'SequentialLR: Sequential Schedulers expects all schedulers to belong to the same optimizer, but ' +
            `got schedulers at index ${i} to be different than the optimizer passed in.`,
        );
      }
    });
    if (milestones.length !== schedulers.length - 1) {
      throw new Error(
        'SequentialLR: Sequential Schedulers expects number of schedulers provided to be one more than the number ' +
          `of milestone points, but got number of schedulers ${schedulers.length} and the number of milestones to be ` +
          `equal to ${milestones.length}`,
      );
    }
    super(optimizer, (options.lastEpoch ?? -1) + 1);
    this.schedulers = [...schedulers];
    this.milestones = [...milestones];

    optimizer.paramGroups.forEach((group, i) => {
      if (group.initialLr === undefined) {
        throw new Error(`SequentialLR: param 'initialLr' is not specified in paramGroups[${i}]`);
      }
      group.lr = group.initialLr;
    });
    // Undo the initial step each scheduler took when built, then redo it for the first only.
    for (const s of this.schedulers) s.lastEpoch -= 1;
    this.schedulers[0]?.initialStep();
    this.lastLr = this.schedulers[0]?.getLastLr() ?? this.groupLrs();
  }

  /**
   * Advances one epoch with the scheduler whose milestone range holds it.
   * @param args - none are taken: any argument throws rather than being ignored
   */
  override step(...args: never[]): void {
    checkNoArguments('SequentialLR.step', args);
    this.lastEpoch += 1;
    const idx = this.milestones.filter((m) => m <= this.lastEpoch).length;
    const scheduler = this.schedulers[idx];
    if (scheduler === undefined) return;
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) scheduler.step(0);
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
  }

  /**
   * The wrapper's state with every child scheduler's state under `schedulers`.
   * @param args - none are taken: any argument throws rather than being ignored
   */
  override stateDict(...args: never[]): SchedulerState {
    checkNoArguments('SequentialLR.stateDict', args);
    return compositeState(super.stateDict(), this.schedulers);
  }

  /**
   * Restores the wrapper and every child scheduler.
   * @param state - as `stateDict()` returns it: the wrapper's fields and `schedulers`, one state per child, in order
   * @param extra - arguments past those taken: none are, so any throws rather than being ignored
   */
  override loadStateDict(state: SchedulerState, ...extra: never[]): void {
    checkSchedulerState('SequentialLR.loadStateDict', state, extra);
    loadComposite('SequentialLR', state, this.schedulers, (own) => super.loadStateDict(own));
  }

  protected override nonStateKeys(): string[] {
    return ['schedulers'];
  }

  /** The lrs come from the child schedulers; this is what they last set. */
  protected override getLr(): number[] {
    return this.getLastLr();
  }
}

/**
 * Steps every scheduler in turn at each `step()`, so that their chainable updates compose
 * (e.g. ConstantLR then ExponentialLR: 0.1, 0.09, 0.81, 0.729, … from lr 1).
 */
export class ChainedScheduler extends LRScheduler {
  private readonly schedulers: LRScheduler[];

  /**
   * Wraps schedulers that were built (and took their initial steps) on one optimizer.
   * @param schedulers - at least one, all on the same optimizer (else an Error); stepped in this order
   * @param optimizer - PyTorch 2.2's optional second argument: when given, every scheduler must be on it
   */
  constructor(schedulers: LRScheduler[], optimizer?: SchedulableOptimizer) {
    if (!Array.isArray(schedulers)) throw new TypeError('ChainedScheduler: expects a list of schedulers');
    const first = schedulers[0];
    if (first === undefined) throw new Error('ChainedScheduler: expects at least one scheduler');
    const target = optimizer ?? first.optimizer;
    schedulers.forEach((s, i) => {
      if (s.optimizer !== target) {
        const which =
          optimizer === undefined
            ? `schedulers at index 0 and ${i} to be different`
            : `the scheduler at index ${i} on another one than the optimizer given`;
        throw new Error(`ChainedScheduler: ChainedScheduler expects all schedulers to belong to the same optimizer, but got ${which}`);
      }
    });
    super(first.optimizer);
    this.schedulers = [...schedulers];
  }

  /**
   * Steps every scheduler once, in order.
   * @param args - none are taken: any argument throws rather than being ignored
   */
  override step(...args: never[]): void {
    checkNoArguments('ChainedScheduler.step', args);
    for (const s of this.schedulers) s.step();
    this.lastLr = this.groupLrs();
  }

  /**
   * The wrapper's state with every child scheduler's state under `schedulers`.
   * @param args - none are taken: any argument throws rather than being ignored
   */
  override stateDict(...args: never[]): SchedulerState {
    checkNoArguments('ChainedScheduler.stateDict', args);
    return compositeState(super.stateDict(), this.schedulers);
  }

  /**
   * Restores the wrapper and every child scheduler.
   * @param state - as `stateDict()` returns it: the wrapper's fields and `schedulers`, one state per child, in order
   * @param extra - arguments past those taken: none are, so any throws rather than being ignored
   */
  override loadStateDict(state: SchedulerState, ...extra: never[]): void {
    checkSchedulerState('ChainedScheduler.loadStateDict', state, extra);
    loadComposite('ChainedScheduler', state, this.schedulers, (own) => super.loadStateDict(own));
  }

  protected override nonStateKeys(): string[] {
    return ['schedulers'];
  }

  /** The lrs come from the child schedulers; this is what they last set. */
  protected override getLr(): number[] {
    return this.getLastLr();
  }
}
