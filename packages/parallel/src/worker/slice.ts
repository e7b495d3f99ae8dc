import { sumSlotsKernel } from '@loom/core';
import { type ElementwiseOptimizerName, optimizerDescriptors } from '@loom/optim';
import type { FoldPlan } from '../protocol/gradient-fold.js';
import { floatView, stateView } from '../protocol/shared-buffers.js';
import type { WorkerContext } from './context.js';

/** A slice [start, end) of the flat parameter vector. */
export interface SliceRange {
  start: number;
  end: number;
}

/** What the reduction of a slice reports: Σg² for clipping, Σ|p| and Σp² for the penalties. */
export interface Reduced {
  sumSquares: number;
  absSum: number;
  sqSum: number;
}

/** Views of one slice of every buffer, built once per thread. */
interface SliceViews {
  param: Float32Array;
  /** Slot `k` over the slice, by slot index. */
  slots: Float32Array[];
  state: Record<string, Float32Array>;
  /** The views each final sum of a plan reads, by the op's source list. */
  sources: Map<readonly number[], Float32Array[]>;
}

let views: { slice: SliceRange; views: SliceViews } | null = null;
/** What reduceSlice returns, one object for every step: the caller reads it before the next. */
const REDUCED: Reduced = { sumSquares: 0, absSum: 0, sqSum: 0 };

function sliceViews(ctx: WorkerContext, slice: SliceRange): SliceViews {
  if (views?.slice.start === slice.start && views.slice.end === slice.end) return views.views;
  return newSliceViews(ctx, slice);
}

/** Builds and keeps the slice's views (apart from sliceViews, whose every call would otherwise allocate the closures' context). */
function newSliceViews(ctx: WorkerContext, slice: SliceRange): SliceViews {
  const { buffers } = ctx.setup;
  const P = buffers.layout.length;
  const n = slice.end - slice.start;
  const state: Record<string, Float32Array> = {};
  for (const [name, offset] of Object.entries(buffers.state)) state[name] = stateView(ctx.memory, buffers, offset, slice.start, slice.end);
  const v: SliceViews = {
    param: floatView(ctx.memory, buffers.params + slice.start * 4, n),
    slots: Array.from({ length: buffers.slotCount }, (_, k) => floatView(ctx.memory, buffers.slots + (k * P + slice.start) * 4, n)),
    state,
    sources: new Map(),
  };
  views = { slice: { ...slice }, views: v };
  return v;
}

/**
 * Joins every worker's folded nodes over the slice into slot 0 (the plan's final sums: the
 * chunk tree's additions, whoever reduces which slice) and adds the penalty gradients.
 */
export function reduceSlice(ctx: WorkerContext, plan: FoldPlan, slice: SliceRange, clip: boolean): Reduced {
  const v = sliceViews(ctx, slice);
  const sum = sumSlotsKernel.select('float32');
  for (let i = 0; i < plan.finalOps.length; i++) {
    const op = plan.finalOps[i]!;
    let sources = v.sources.get(op.srcs);
    if (!sources) {
      sources = op.srcs.map((k) => v.slots[k]!);
      v.sources.set(op.srcs, sources);
    }
    sum(v.slots[op.dst]!, sources);
  }
  const grad = v.slots[0]!;
  const param = v.param;
  const reduced = REDUCED;
  reduced.sumSquares = 0;
  reduced.absSum = 0;
  reduced.sqSum = 0;
  const { l1, l2 } = ctx.setup.training;
  if (l1 !== 0 || l2 !== 0) {
    for (let i = 0; i < grad.length; i++) {
      const p = param[i]!;
      reduced.absSum += Math.abs(p);
      reduced.sqSum += p * p;
      grad[i] = grad[i]! + l1 * Math.sign(p) + 2 * l2 * p;
    }
  }
  // Only gradient clipping needs the norm.
  if (clip) for (let i = 0; i < grad.length; i++) reduced.sumSquares += grad[i]! * grad[i]!;
  return reduced;
}

type Update = (param: Float32Array, grad: Float32Array, state: object, hyper: object, step: number) => void;

/** Applies the optimizer's pure update to the slice of the parameters and of every state buffer. */
export function updateSlice(ctx: WorkerContext, slice: SliceRange, hyper: object, step: number, gradScale: number): void {
  const v = sliceViews(ctx, slice);
  const grad = v.slots[0]!;
  if (gradScale !== 1) for (let i = 0; i < grad.length; i++) grad[i] = grad[i]! * gradScale;
  const descriptor = optimizerDescriptors[ctx.optimizer.name as ElementwiseOptimizerName] as unknown as { update: Update };
  descriptor.update(v.param, grad, v.state, hyper, step);
}
