import { type SharedMemory, sumSlotsKernel } from '@loom/core';
import { type ElementwiseOptimizerName, optimizerDescriptors } from '@loom/optim';
import { floatView, type SharedBuffers } from '../trainer/shared-buffers.js';
import type { SliceRange, UpdateSpec } from './messages.js';

/** What the reduction of a slice reports: Σg² for clipping, Σ|p| and Σp² for the penalties. */
export interface Reduced {
  sumSquares: number;
  absSum: number;
  sqSum: number;
}

/**
 * Sums the step's gradient slots over the slice into slot 0 — with sumSlots' fixed pairwise tree,
 * so the sum does not depend on who reduces which slice — and adds the penalty gradients.
 */
export function reduceSlice(memory: SharedMemory, buffers: SharedBuffers, slice: SliceRange, update: UpdateSpec): Reduced {
  const { start, end } = slice;
  const P = buffers.layout.length;
  const param = floatView(memory, buffers.params + start * 4, end - start);
  const grad = floatView(memory, buffers.slots + start * 4, end - start);
  const slots = update.slots.map((k) => floatView(memory, buffers.slots + (k * P + start) * 4, end - start));
  // The first slot listed is always slot 0 (chunk 0 is the first chunk of worker 0): the sum
  // lands there, in place.
  sumSlotsKernel.select('float32')(grad, slots);
  const reduced: Reduced = { sumSquares: 0, absSum: 0, sqSum: 0 };
  const { l1, l2 } = update;
  if (l1 !== 0 || l2 !== 0) {
    for (let i = 0; i < grad.length; i++) {
      const p = param[i]!;
      reduced.absSum += Math.abs(p);
      reduced.sqSum += p * p;
      grad[i] = grad[i]! + l1 * Math.sign(p) + 2 * l2 * p;
    }
  }
  // Only gradient clipping needs the norm.
  if (update.clipGradNorm !== null) for (let i = 0; i < grad.length; i++) reduced.sumSquares += grad[i]! * grad[i]!;
  return reduced;
}

/** Applies the optimizer's pure update to the slice of the parameters and of every state buffer. */
export function updateSlice(memory: SharedMemory, buffers: SharedBuffers, slice: SliceRange, update: UpdateSpec, gradScale: number): void {
  const { start, end } = slice;
  const param = floatView(memory, buffers.params + start * 4, end - start);
  const grad = floatView(memory, buffers.slots + start * 4, end - start);
  if (gradScale !== 1) for (let i = 0; i < grad.length; i++) grad[i] = grad[i]! * gradScale;
  const descriptor = optimizerDescriptors[update.optimizer as ElementwiseOptimizerName] as unknown as {
    update(param: Float32Array, grad: Float32Array, state: object, hyper: object, step: number): void;
  };
  const state: Record<string, Float32Array> = {};
  for (const [name, offset] of Object.entries(buffers.state)) state[name] = floatView(memory, offset + start * 4, end - start);
  descriptor.update(param, grad, state, update.hyper, update.step);
}
