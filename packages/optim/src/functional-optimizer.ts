import { type FloatArray, formatShape, RowSparseTensor, Tensor } from '@loom/core';
import type { OptimizerDescriptor, ScalarState } from './descriptor.js';
import {
  type Closure,
  type Loss,
  Optimizer,
  type OptimizerOptions,
  type OptimizerSpec,
  type ParamGroup,
  type ParamState,
  type Params,
} from './optimizer.js';
import { persistentFull } from './state-copy.js';
import { checkScalarState, checkStateKeys, checkTensorState } from './state-checks.js';

/** How an optimizer class treats row-sparse gradients (from `Embedding({ sparse: true })`). */
export type SparsePolicy =
  /** Throws `${name} does not support sparse gradients` (or `sparseMessage`). */
  | 'refuse'
  /** Updates as if dense: the same numbers PyTorch's sparse path gives (SGD). */
  | 'densify'
  /** Updates only the rows present, after summing duplicates (Adagrad). */
  | 'rows'
  /** As 'rows', and dense gradients are refused (SparseAdam). */
  | 'only';

/** What a class built on an update function says about itself beyond `OptimizerSpec`. */
export interface FunctionalSpec<O extends OptimizerOptions> extends OptimizerSpec<O> {
  readonly sparse: SparsePolicy;
  /** The refusal message, where PyTorch's differs from the generic one. */
  readonly sparseMessage?: string;
  /** Extra checks before a sparse update (Adagrad refuses weight decay there). */
  checkSparse?(options: O): void;
  /** Whether PyTorch keeps a `step` count in this optimizer's state (all but SGD). */
  readonly countsSteps: boolean;
  /** Whether PyTorch 1.13 stores `step` and scalar state as 0-d tensors (else as numbers). */
  readonly tensorScalars: boolean;
}

/**
 * An optimizer whose arithmetic is a descriptor's pure update, called once per parameter (or per
 * gradient row for sparse gradients). State is created lazily: `step`, then scalar state, then
 * one persistent buffer of the parameter's shape and dtype per name in `stateBuffers`.
 */
export class FunctionalOptimizer<O extends OptimizerOptions, H, S> extends Optimizer<O> {
  protected override readonly spec: FunctionalSpec<O>;

  protected constructor(
    params: Params<O>,
    defaults: Partial<O>,
    args: readonly unknown[],
    spec: FunctionalSpec<O>,
    readonly descriptor: OptimizerDescriptor<O, H, S>,
  ) {
    super(params, defaults, args, spec);
    this.spec = spec;
  }

  step<L extends Loss>(closure?: Closure<L>): L | undefined {
    const loss = closure?.();
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p.grad !== null) this.updateParam(p, p.grad, group);
      }
    }
    return loss;
  }

  /** The state of `p`, created with every buffer its group's options need. */
  protected ensureState(p: Tensor, group: ParamGroup<O>): ParamState {
    const state = this.stateOf(p, group);
    this.buffers(p, state, this.descriptor.hyper(group, this.scalarsOf(state), 0));
    return state;
  }

  /** A saved state holds the step count and scalar state, and buffers of the parameter's shape that its group's options use. */
  protected override checkLoadedState(p: Tensor, state: ParamState, group: ParamGroup<O>, where: string): void {
    const scalars = [...(this.spec.countsSteps ? ['step'] : []), ...this.descriptor.scalarNames];
    const buffers = this.descriptor.stateBuffers(this.descriptor.hyper(group, this.descriptor.initScalars(group), 0));
    checkStateKeys(where, this.spec.name, state, [...scalars, ...buffers], scalars);
    for (const key of scalars) checkScalarState(where, key, state[key]);
    for (const key of buffers) checkTensorState(where, key, state[key], p.shape);
  }

  protected override saveParamState(state: ParamState): ParamState {
    const saved = super.saveParamState(state);
    if (this.spec.tensorScalars) {
      for (const key of ['step', ...this.descriptor.scalarNames]) {
        const value = saved[key];
        if (typeof value === 'number') saved[key] = persistentFull([], 'float64', value);
      }
    }
    return saved;
  }

  protected override loadParamState(p: Tensor, state: ParamState): ParamState {
    const loaded = super.loadParamState(p, state);
    for (const key of ['step', ...this.descriptor.scalarNames]) {
      const value = loaded[key];
      if (value instanceof Tensor) loaded[key] = value.item();
    }
    return loaded;
  }

  private updateParam(p: Tensor, grad: Tensor, group: ParamGroup<O>): void {
    const { name, sparse: policy } = this.spec;
    const isSparse = grad instanceof RowSparseTensor;
    if (isSparse && policy === 'refuse') throw new TypeError(this.spec.sparseMessage ?? `${name} does not support sparse gradients`);
    if (!isSparse && policy === 'only') throw new TypeError(this.spec.sparseMessage ?? `${name} requires sparse gradients`);
    if (isSparse && policy !== 'densify') this.spec.checkSparse?.(group);
    if (!p.isContiguous()) throw new TypeError(`${name}.step: parameter of shape ${formatShape(p.shape)} is not contiguous`);
    if (grad.dtype !== p.dtype || grad.numel !== p.numel) {
      throw new TypeError(
        `${name}.step: gradient ${grad.dtype} ${formatShape(grad.shape)} does not match parameter ${p.dtype} ${formatShape(p.shape)}`,
      );
    }
    const state = this.stateOf(p, group);
    let step = 0;
    if (this.spec.countsSteps) {
      step = (state.step as number) + 1;
      state.step = step;
    }
    const scalars = this.scalarsOf(state);
    const hyper = this.descriptor.hyper(group, scalars, step);
    Object.assign(state, scalars);
    const { buffers, created } = this.buffers(p, state, hyper);
    // SGD keeps no count, as PyTorch; its update only asks whether the momentum buffer is new.
    if (!this.spec.countsSteps) step = created ? 1 : 2;
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
      state = this.spec.countsSteps ? { step: 0 } : {};
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
