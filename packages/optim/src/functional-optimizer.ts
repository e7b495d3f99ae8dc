import { type FloatArray, formatShape, RowSparseTensor, Tensor } from '@loom/core';
import { advanceStep, checkSparsePolicy, type OptimizerDescriptor, type ScalarState } from './descriptor.js';
import {
  checkStepArguments,
  type Closure,
  type Loss,
  Optimizer,
  type OptimizerOptions,
  type ParamGroup,
  type ParamState,
  type Params,
} from './optimizer.js';
import { persistentFull } from './state-copy.js';
import { checkScalarState, checkStateKeys, checkTensorState } from './state-checks.js';

/**
 * An optimizer whose arithmetic is a descriptor's pure update, called once per parameter (or per
 * gradient row for sparse gradients). State is created lazily: `step`, then scalar state, then
 * one persistent buffer of the parameter's shape and dtype per name in `stateBuffers`.
 */
export class FunctionalOptimizer<O extends OptimizerOptions, H, S> extends Optimizer<O> {
  /**
   * For subclasses: `new Adam(params, ...args)` passes its arguments and its descriptor.
   * @param params - tensors (one group) or parameter groups `{ params, ...options }`
   * @param args - the subclass constructor's arguments after `params`: positional `lr`, then an options object
   * @param descriptor - the optimizer's options, checks, state layout and pure update
   */
  protected constructor(
    params: Params<O>,
    args: readonly unknown[],
    readonly descriptor: OptimizerDescriptor<O, H, S>,
  ) {
    super(params, descriptor.defaults, args, descriptor);
  }

  /**
   * Updates every parameter that has a gradient (dense, or row-sparse where the descriptor allows it), creating its
   * state on its first update; parameters without a gradient are skipped and keep their step count.
   * @param closure - recomputes the gradients and returns the loss; called once, before the update
   * @param extra - arguments past those taken: none are, so any throws rather than being ignored
   */
  step<L extends Loss>(closure?: Closure<L>, ...extra: never[]): L | undefined {
    checkStepArguments(`${this.spec.name}.step`, closure, extra);
    const loss = closure?.();
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p.grad !== null) this.updateParam(p, p.grad, group);
      }
    }
    return loss;
  }

  /**
   * The state of `p`, created with every buffer its group's options need.
   * @param p - a parameter of `group`; its state, if any, is kept and only missing buffers are added
   * @param group - the parameter's group, whose options decide the buffers and their initial values
   */
  protected ensureState(p: Tensor, group: ParamGroup<O>): ParamState {
    const state = this.stateOf(p, group);
    this.buffers(p, state, this.descriptor.hyper(group, this.scalarsOf(state), 0));
    return state;
  }

  /**
   * A saved state holds the step count and scalar state, and buffers of the parameter's shape that its group's options use.
   * @param p - the parameter the state belongs to: buffers must have its shape
   * @param state - the saved state; a buffer may be missing (it is created on the next step), an unknown key throws
   * @param group - the parameter's group with the loaded options (AMSGrad, momentum… decide which buffers may be there)
   * @param where - the start of the error message
   */
  protected override checkLoadedState(p: Tensor, state: ParamState, group: ParamGroup<O>, where: string): void {
    const scalars = [...(this.descriptor.countsSteps ? ['step'] : []), ...this.descriptor.scalarNames];
    const buffers = this.descriptor.stateBuffers(this.descriptor.hyper(group, this.descriptor.initScalars(group), 0));
    checkStateKeys(where, this.descriptor.name, state, [...scalars, ...buffers], scalars);
    for (const key of scalars) checkScalarState(where, key, state[key]);
    for (const key of buffers) checkTensorState(where, key, state[key], p.shape);
  }

  /**
   * As the base class, and `step` and scalar state as 0-d float64 tensors where PyTorch 1.13 stores them so.
   * @param state - the parameter's live state; not changed
   */
  protected override saveParamState(state: ParamState): ParamState {
    const saved = super.saveParamState(state);
    if (this.descriptor.tensorScalars) {
      for (const key of ['step', ...this.descriptor.scalarNames]) {
        const value = saved[key];
        if (typeof value === 'number') saved[key] = persistentFull([], 'float64', value);
      }
    }
    return saved;
  }

  /**
   * As the base class, and `step` and scalar state given as tensors read back as numbers.
   * @param p - the parameter, whose dtype the copied buffers take
   * @param state - the saved state, already checked; not changed
   */
  protected override loadParamState(p: Tensor, state: ParamState): ParamState {
    const loaded = super.loadParamState(p, state);
    for (const key of ['step', ...this.descriptor.scalarNames]) {
      const value = loaded[key];
      if (value instanceof Tensor) loaded[key] = value.item();
    }
    return loaded;
  }

  private updateParam(p: Tensor, grad: Tensor, group: ParamGroup<O>): void {
    const { name, sparse: policy } = this.descriptor;
    const isSparse = grad instanceof RowSparseTensor;
    checkSparsePolicy(this.descriptor, group, isSparse);
    if (!p.isContiguous()) throw new TypeError(`${name}.step: parameter of shape ${formatShape(p.shape)} is not contiguous`);
    if (grad.dtype !== p.dtype || grad.numel !== p.numel) {
      throw new TypeError(
        `${name}.step: gradient ${grad.dtype} ${formatShape(grad.shape)} does not match parameter ${p.dtype} ${formatShape(p.shape)}`,
      );
    }
    const state = this.stateOf(p, group);
    const next = advanceStep(this.descriptor, group, state as Record<string, number>);
    const { buffers, created } = this.buffers(p, state, next.hyper);
    // SGD keeps no count, as PyTorch; its update only asks whether the momentum buffer is new.
    const step = this.descriptor.countsSteps ? next.step : created ? 1 : 2;
    const hyper = next.hyper;
    const param = p.data() as FloatArray;
    // An in-place update: a graph that saved this parameter before the step can no longer backward.
    p.storage.bumpVersion(`${name}.step`);
    if (isSparse && policy !== 'densify') {
      this.updateRows(param, grad.coalesce(), buffers, hyper, step);
    } else {
      const dense = isSparse ? grad.toDense() : grad.isContiguous() ? grad : grad.contiguous();
      this.descriptor.update(param, dense.data() as FloatArray, buffers as S, hyper, step);
    }
  }

  /** Applies the update to each row a coalesced sparse gradient holds, and to nothing else. */
  private updateRows(param: FloatArray, grad: RowSparseTensor, buffers: Record<string, FloatArray>, hyper: H, step: number): void {
    const row = grad.rowSize;
    const values = grad.values.data() as FloatArray;
    grad.indices.forEach((r, k) => {
      const slice = (a: FloatArray): FloatArray => a.subarray(r * row, (r + 1) * row);
      const rowState = Object.fromEntries(Object.entries(buffers).map(([key, b]) => [key, slice(b)]));
      this.descriptor.update(slice(param), values.subarray(k * row, (k + 1) * row), rowState as S, hyper, step);
    });
  }

  private stateOf(p: Tensor, group: ParamGroup<O>): ParamState {
    let state = this.state.get(p);
    if (state === undefined) {
      state = this.descriptor.countsSteps ? { step: 0 } : {};
      Object.assign(state, this.descriptor.initScalars(group));
      this.state.set(p, state);
    }
    return state;
  }

  private scalarsOf(state: ParamState): ScalarState {
    return Object.fromEntries(this.descriptor.scalarNames.map((key) => [key, state[key] as number]));
  }

  private buffers(p: Tensor, state: ParamState, hyper: H): { buffers: Record<string, FloatArray>; created: boolean } {
    const buffers: Record<string, FloatArray> = {};
    let created = false;
    for (const key of this.descriptor.stateBuffers(hyper)) {
      let buffer = state[key];
      if (!(buffer instanceof Tensor)) {
        buffer = persistentFull(p.shape, p.dtype, this.descriptor.initState(key, hyper));
        state[key] = buffer;
        created = true;
      }
      buffers[key] = buffer.data() as FloatArray;
    }
    return { buffers, created };
  }
}
