import {
  advanceStep,
  checkSparsePolicy,
  checkRequiredOptions,
  createScheduler,
  type ElementwiseOptimizerName,
  type OptimizerDescriptor,
  type OptimizerOptions,
  optimizerDescriptors,
  resolveOptimizerOptions,
  type ScalarState,
  type SchedulableParamGroup,
} from '@loom/optim';
import type { NamedSpec } from '../trainer/options.js';

/** Any optimizer's descriptor, its option, hyperparameter and state types erased. */
type AnyDescriptor = OptimizerDescriptor<OptimizerOptions, object, unknown>;

/** The optimizer's step count, scalar state, param-group options and scheduler state, as JSON. */
export type OptimizerStateDict = Record<string, unknown>;

interface Scheduler {
  step(metric?: number): void;
  stateDict(): unknown;
  loadStateDict(state: never): void;
}

/**
 * The scalar side of the sliced optimizer update, on the main thread and in every worker alike,
 * from the optimizer's descriptor (the one its class is built on): the options (resolved and
 * checked as the class does), the step count and scalar state (advanced as the class advances a
 * parameter's), the one parameter group a scheduler adjusts, and the hyperparameters each step's
 * workers update their slices with. The per-element state lives in the shared buffers named by
 * `bufferNames`.
 */
export class OptimizerState {
  readonly name: ElementwiseOptimizerName;
  readonly bufferNames: readonly string[];
  readonly descriptor: AnyDescriptor;
  /** The optimizer's one parameter group (no tensors: the trainer owns the parameters), as schedulers see it. */
  private readonly group: OptimizerOptions & SchedulableParamGroup & { params: never[] };
  private readonly scheduler: Scheduler | null;
  private readonly schedulerName: string | null;
  /** `step` and the scalar state, as the class keeps them per parameter. */
  private counters: Record<string, number>;
  private currentHyper: object = {};
  /**
   * Whether `currentHyper` still holds for the next step of an optimizer without scalar state,
   * whose hyperparameters are its options alone (`OptimizerDescriptor.hyper`): only a scheduler
   * step or a loaded state changes them, so a steady-state step makes no new objects.
   */
  private hyperCurrent = false;
  private readonly saved: Record<string, number> = {};

  constructor(spec: NamedSpec, schedulerSpec: NamedSpec | undefined) {
    if (!Object.hasOwn(optimizerDescriptors, spec.name)) {
      throw new RangeError(
        `unknown optimizer '${spec.name}' for the data-parallel trainer (known: ${Object.keys(optimizerDescriptors).join(', ')})`,
      );
    }
    this.name = spec.name as ElementwiseOptimizerName;
    this.descriptor = optimizerDescriptors[this.name] as unknown as AnyDescriptor;
    if (this.descriptor.sparse === 'only') {
      throw new TypeError(
        `DataParallelTrainer: ${spec.name} updates only the rows a sparse gradient holds, and the trainer sums gradients densely, so it cannot run ${spec.name} exactly: use Adam or AdamW (with Embedding sparse: false), or a single-thread loop with @loom/optim`,
      );
    }
    const options = resolveOptimizerOptions(this.descriptor, this.descriptor.defaults, [spec.options ?? {}]);
    checkRequiredOptions(options, this.descriptor.defaults);
    this.group = { ...(options as OptimizerOptions), params: [] };
    this.scheduler = schedulerSpec
      ? (createScheduler(
          schedulerSpec.name,
          { paramGroups: [this.group], defaults: options },
          (schedulerSpec.options ?? {}) as never,
        ) as unknown as Scheduler)
      : null;
    this.schedulerName = schedulerSpec?.name ?? null;
    this.counters = { step: 0, ...this.descriptor.initScalars(this.groupOptions()) };
    this.bufferNames = this.descriptor.stateBuffers(this.probeHyper());
  }

  private groupOptions(): OptimizerOptions {
    const { params: _params, ...options } = this.group;
    return options;
  }

  /** The hyperparameters of a first step, without advancing anything: which buffers exist, and their initial values. */
  private probeHyper(): object {
    return this.descriptor.hyper(this.groupOptions(), this.scalars(), 1);
  }

  private scalars(): ScalarState {
    const { step: _step, ...scalars } = this.counters;
    return scalars;
  }

  /**
   * Throws PyTorch's error where this optimizer cannot take the model's row-sparse gradients (an
   * `Embedding({ sparse: true })`). The trainer sums them densely, which gives the numbers of
   * SGD's and Adagrad's sparse paths; SparseAdam's differ (rows a batch misses keep their
   * moments there), so the constructor refuses SparseAdam.
   */
  checkGradients(sparseParameters: readonly string[]): void {
    if (sparseParameters.length === 0) return;
    try {
      checkSparsePolicy(this.descriptor, this.groupOptions(), true);
    } catch (error) {
      throw new TypeError(
        `${(error as Error).message} (sparse gradients of ${sparseParameters.join(', ')}: an Embedding with sparse: true)`,
        { cause: error },
      );
    }
  }

  /** The learning rate in effect for the next step. */
  get lr(): number {
    return this.group.lr;
  }

  /** Fills a new state buffer with its initial value. */
  initBuffer(name: string, buffer: Float32Array): void {
    buffer.fill(this.descriptor.initState(name, this.probeHyper()));
  }

  /**
   * Advances the step count and scalar state; returns the 1-based step number. `cancelStep()`
   * undoes both, for a step whose update is skipped.
   */
  beginStep(): number {
    // The counters before the step, kept in one object for every step.
    for (const key in this.counters) this.saved[key] = this.counters[key]!;
    if (!this.hyperCurrent) {
      this.currentHyper = advanceStep(this.descriptor, this.groupOptions(), this.counters).hyper;
      this.hyperCurrent = this.descriptor.scalarNames.length === 0;
    }
    // Every optimizer's steps are counted here, SGD's too (PyTorch keeps no count in its state).
    this.counters['step'] = this.saved['step']! + 1;
    return this.counters['step']!;
  }

  /** Undoes the last `beginStep`: the step count and scalar state as they were before it. */
  cancelStep(): void {
    for (const key in this.saved) this.counters[key] = this.saved[key]!;
  }

  /** The hyperparameters of the current step, for every worker's slice update. */
  hyper(): Record<string, unknown> {
    return this.currentHyper as Record<string, unknown>;
  }

  /** Steps the scheduler (ReduceLROnPlateau takes the monitored metric). */
  schedulerStep(metric?: number): void {
    if (!this.scheduler) return;
    this.hyperCurrent = false;
    if (this.schedulerName === 'ReduceLROnPlateau') {
      if (metric === undefined) throw new Error('ReduceLROnPlateau needs a metric: pass a validation set to fit');
      this.scheduler.step(metric);
    } else this.scheduler.step();
  }

  stateDict(): OptimizerStateDict {
    return {
      name: this.name,
      step: this.counters['step'],
      scalars: this.scalars(),
      group: this.groupOptions(),
      scheduler: this.scheduler?.stateDict() ?? null,
    };
  }

  loadStateDict(state: OptimizerStateDict): void {
    if (state['name'] !== this.name) throw new Error(`loadStateDict: the state is of optimizer ${String(state['name'])}, not ${this.name}`);
    this.counters = { ...(state['scalars'] as ScalarState), step: Number(state['step']) };
    this.hyperCurrent = false;
    Object.assign(this.group, state['group'] as object);
    if (this.scheduler && state['scheduler']) this.scheduler.loadStateDict(state['scheduler'] as never);
  }
}
