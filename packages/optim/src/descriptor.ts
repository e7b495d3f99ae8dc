import type { FloatArray } from '@loom/core';
import type { OptimizerOptions } from './optimizer.js';

/**
 * Per-parameter scalar state besides the step count, the same for every element (ASGD's `eta`
 * and `mu`, NAdam's `muProduct`). A data-parallel trainer holds it once per parameter group.
 */
export type ScalarState = Record<string, number>;

/**
 * An optimizer's pure update over flat slices: reads `grad`, updates `param` and the per-element
 * state buffers in place, allocates nothing. Every element is updated independently, so one call
 * on a vector and k calls on k slices of it give bit-identical results. Arithmetic is in float64
 * in PyTorch's operation order; float32 slices round only the values they store.
 *
 * `step` is the 1-based count of updates this parameter has received, this one included.
 */
export type UpdateFn<H, S> = (param: FloatArray, grad: FloatArray, state: S, hyper: H, step: number) => void;

/** How an optimizer treats row-sparse gradients (from `Embedding({ sparse: true })`). */
export type SparsePolicy =
  /** Throws `${name} does not support sparse gradients` (or `sparseMessage`). */
  | 'refuse'
  /** Updates as if dense: the same numbers PyTorch's sparse path gives (SGD). */
  | 'densify'
  /** Updates only the rows present, after summing duplicates (Adagrad). */
  | 'rows'
  /** As 'rows', and dense gradients are refused (SparseAdam). */
  | 'only';

/**
 * One optimizer, described once for its class (FunctionalOptimizer) and the data-parallel trainer
 * alike: its options and their checks, its sparse-gradient policy, how it counts steps, and how to turn a parameter
 * group's options into the update's hyperparameters, which per-element buffers to allocate and
 * how to fill them, and the update itself.
 *
 * Per step and parameter group the trainer calls `hyper(options, scalars, step)` once (it
 * advances `scalars` in place), then `update` on every slice with the same hyperparameters.
 */
export interface OptimizerDescriptor<O extends OptimizerOptions, H, S> {
  /** The class name, as the registry and PyTorch spell it ('Adam'). */
  readonly name: string;
  /**
   * Every option, with the value a group gets when it leaves it out (`undefined`: required, as
   * SGD's `lr`): its keys are the options the class and the trainer accept.
   */
  readonly defaults: Readonly<Partial<O>>;
  /**
   * Throws PyTorch's error for an invalid option; options a group leaves undefined are skipped.
   * @param options - a group's options, or the defaults
   */
  validate(options: Partial<O>): void;
  /** How row-sparse gradients are treated. */
  readonly sparse: SparsePolicy;
  /** The refusal message, where PyTorch's differs from the generic one. */
  readonly sparseMessage?: string;
  /**
   * Extra checks before a sparse update (Adagrad refuses weight decay there).
   * @param options - the options of the parameter's group
   */
  checkSparse?(options: O): void;
  /** Whether PyTorch keeps a `step` count in this optimizer's state (all but SGD). */
  readonly countsSteps: boolean;
  /** Whether PyTorch 1.13 stores `step` and scalar state as 0-d tensors (else as numbers). */
  readonly tensorScalars: boolean;
  /** Names of the scalar state `initScalars` creates, in PyTorch's order. */
  readonly scalarNames: readonly string[];
  /**
   * Initial scalar state of a parameter.
   * @param options - the options of the parameter's group (ASGD's `eta` starts at its `lr`)
   */
  initScalars(options: O): ScalarState;
  /**
   * The update's hyperparameters for step `step`; advances `scalars` to their value after it.
   * Without scalar state (`scalarNames` empty) they are the options' values alone, whatever the
   * step: the data-parallel trainer reuses them until a scheduler step or a loaded state.
   * @param options - the options of the parameter group, read as they are now (a scheduler may have changed `lr`)
   * @param scalars - the scalar state named by `scalarNames`, before this step; advanced in place
   * @param step - the 1-based step about to be taken (0: only to find which buffers the options need; SGD, which
   *   counts no steps, always gets 0)
   */
  hyper(options: O, scalars: ScalarState, step: number): H;
  /**
   * Names of the per-element state buffers these hyperparameters need, in PyTorch's order.
   * @param hyper - hyperparameters from `hyper` (options such as `amsgrad`, `momentum` or `centered` add buffers)
   */
  stateBuffers(hyper: H): readonly string[];
  /**
   * The value a new buffer starts with (0 unless said otherwise).
   * @param buffer - one of the names `stateBuffers` returned
   * @param hyper - the hyperparameters in effect when the buffer is created (Adagrad's `initialAccumulatorValue`,
   *   Rprop's `lr`)
   */
  initState(buffer: string, hyper: H): number;
  readonly update: UpdateFn<H, S>;
}

/**
 * Throws unless the gradient and every state buffer have the parameter's length.
 * @param op - the caller's name, which starts the RangeError's message ('adamUpdate')
 * @param param - the parameter slice, whose length the others must have
 * @param grad - the gradient slice, which must have `param`'s length
 * @param state - the state buffers by name; an `undefined` one (an optional buffer not in use) is skipped
 */
export function checkSlices(op: string, param: FloatArray, grad: FloatArray, state: object): void {
  const n = param.length;
  if (grad.length !== n) throw new RangeError(`${op}: gradient slice of length ${grad.length} for a parameter slice of ${n}`);
  for (const name in state) {
    const buffer = (state as Record<string, FloatArray | undefined>)[name];
    if (buffer !== undefined && buffer.length !== n) {
      throw new RangeError(`${op}: state buffer '${name}' of length ${buffer.length} for a parameter slice of ${n}`);
    }
  }
}

/** Scalar state for optimizers that keep none besides the step. */
export function noScalars(): ScalarState {
  return {};
}

/** Buffers start at zero. */
export function zeroInit(): number {
  return 0;
}

/**
 * Advances the step count (where the optimizer keeps one) and the scalar state held in `state`
 * (PyTorch's per-parameter layout: `step` and the scalars by name), and returns the 1-based step
 * (0 for optimizers without a count) and this update's hyperparameters. The class calls it per
 * parameter, the data-parallel trainer once per step for the whole vector.
 * @param descriptor - the optimizer's description
 * @param options - the options of the parameter's group
 * @param state - the count and scalars, advanced in place
 */
export function advanceStep<O extends OptimizerOptions, H, S>(
  descriptor: OptimizerDescriptor<O, H, S>,
  options: O,
  state: Record<string, number>,
): { step: number; hyper: H } {
  let step = 0;
  if (descriptor.countsSteps) {
    step = state['step']! + 1;
    state['step'] = step;
  }
  const scalars: ScalarState = {};
  for (const key of descriptor.scalarNames) scalars[key] = state[key]!;
  const hyper = descriptor.hyper(options, scalars, step);
  Object.assign(state, scalars);
  return { step, hyper };
}

/**
 * Throws PyTorch's error when `descriptor`'s optimizer cannot update a (row-sparse or dense) gradient with `options`.
 * @param descriptor - the optimizer's description
 * @param options - the options of the parameter's group
 * @param isSparse - whether the gradient is row-sparse
 */
export function checkSparsePolicy<O extends OptimizerOptions, H, S>(
  descriptor: OptimizerDescriptor<O, H, S>,
  options: O,
  isSparse: boolean,
): void {
  const { name, sparse: policy } = descriptor;
  if (isSparse && policy === 'refuse') throw new TypeError(descriptor.sparseMessage ?? `${name} does not support sparse gradients`);
  if (!isSparse && policy === 'only') throw new TypeError(descriptor.sparseMessage ?? `${name} requires sparse gradients`);
  if (isSparse && policy !== 'densify') descriptor.checkSparse?.(options);
}
