import { Parameter, persistent, zeros } from '@loom/core';
import {
  createOptimizer,
  createScheduler,
  type ElementwiseOptimizerName,
  type Optimizer,
  type OptimizerName,
  optimizerDescriptors,
  type ScalarState,
} from '@loom/optim';
import type { NamedSpec } from '../trainer/options.js';

type AnyDescriptor = {
  readonly name: string;
  initScalars(options: object): ScalarState;
  hyper(options: object, scalars: ScalarState, step: number): object;
  stateBuffers(hyper: object): readonly string[];
  initState(buffer: string, hyper: object): number;
};

/** The optimizer's step count, scalar state, param-group options and scheduler state, as JSON. */
export type OptimizerStateDict = Record<string, unknown>;

interface Scheduler {
  step(metric?: number): void;
  stateDict(): unknown;
  loadStateDict(state: never): void;
}

/**
 * The scalar side of the sliced optimizer update, on the main thread and in every worker alike: the optimizer's options (validated by
 * building the real class, which also gives schedulers the param group they adjust), the step
 * count and scalar state, and the hyperparameters each step's workers update their slices with. The
 * per-element state lives in the shared buffers named by `bufferNames`.
 */
export class OptimizerState {
  readonly name: ElementwiseOptimizerName;
  readonly bufferNames: readonly string[];
  private readonly descriptor: AnyDescriptor;
  private readonly optimizer: Optimizer;
  private readonly scheduler: Scheduler | null;
  private readonly schedulerName: string | null;
  private stepCount = 0;
  private scalars: ScalarState;
  private currentHyper: object = {};

  constructor(spec: NamedSpec, schedulerSpec: NamedSpec | undefined) {
    if (!Object.hasOwn(optimizerDescriptors, spec.name)) {
      throw new RangeError(`unknown optimizer '${spec.name}' for the data-parallel trainer (known: ${Object.keys(optimizerDescriptors).join(', ')})`);
    }
    this.name = spec.name as ElementwiseOptimizerName;
    this.descriptor = optimizerDescriptors[this.name] as unknown as AnyDescriptor;
    // A one-element stand-in parameter: the class validates the options with PyTorch's messages
    // and owns the param group whose lr a scheduler changes.
    const standIn = persistent(() => new Parameter(zeros([1])));
    this.optimizer = createOptimizer(spec.name as OptimizerName, [standIn], (spec.options ?? {}) as never) as unknown as Optimizer;
    this.scheduler = schedulerSpec
      ? (createScheduler(schedulerSpec.name, this.optimizer as never, (schedulerSpec.options ?? {}) as never) as unknown as Scheduler)
      : null;
    this.schedulerName = schedulerSpec?.name ?? null;
    this.scalars = this.descriptor.initScalars(this.groupOptions());
    const probe = this.descriptor.hyper(this.groupOptions(), { ...this.scalars }, 1);
    this.bufferNames = this.descriptor.stateBuffers(probe);
  }

  private groupOptions(): object {
    const { params: _params, ...options } = this.optimizer.paramGroups[0]! as unknown as Record<string, unknown>;
    return options;
  }

  /** The learning rate in effect for the next step. */
  get lr(): number {
    return (this.optimizer.paramGroups[0] as unknown as { lr: number }).lr;
  }

  /** Fills a new state buffer with its initial value. */
  initBuffer(name: string, buffer: Float32Array): void {
    buffer.fill(this.descriptor.initState(name, this.descriptor.hyper(this.groupOptions(), { ...this.scalars }, 1)));
  }

  /**
   * Advances the step count and scalar state; returns the 1-based step number and a `cancel()`
   * that undoes both, for a step whose update is skipped.
   */
  beginStep(): { step: number; cancel: () => void } {
    const saved = { ...this.scalars };
    this.stepCount++;
    this.currentHyper = this.descriptor.hyper(this.groupOptions(), this.scalars, this.stepCount);
    return {
      step: this.stepCount,
      cancel: () => {
        this.stepCount--;
        this.scalars = saved;
      },
    };
  }

  /** The hyperparameters of the current step, for every worker's slice update. */
  hyper(): Record<string, unknown> {
    return this.currentHyper as Record<string, unknown>;
  }

  /** Steps the scheduler (ReduceLROnPlateau takes the monitored metric). */
  schedulerStep(metric?: number): void {
    if (!this.scheduler) return;
    if (this.schedulerName === 'ReduceLROnPlateau') {
      if (metric === undefined) throw new Error('ReduceLROnPlateau needs a metric: pass a validation set to fit');
      this.scheduler.step(metric);
    } else this.scheduler.step();
  }

  stateDict(): OptimizerStateDict {
    return {
      name: this.name,
      step: this.stepCount,
      scalars: { ...this.scalars },
      group: this.groupOptions(),
      scheduler: this.scheduler?.stateDict() ?? null,
    };
  }

  loadStateDict(state: OptimizerStateDict): void {
    if (state['name'] !== this.name) throw new Error(`loadStateDict: the state is of optimizer ${String(state['name'])}, not ${this.name}`);
    this.stepCount = Number(state['step']);
    this.scalars = { ...(state['scalars'] as ScalarState) };
    Object.assign(this.optimizer.paramGroups[0]!, state['group'] as object);
    if (this.scheduler && state['scheduler']) this.scheduler.loadStateDict(state['scheduler'] as never);
  }
}
