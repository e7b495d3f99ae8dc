import { type SharedMemory, sumSlotsKernel } from '@loom/core';
import { type ElementwiseOptimizerName, optimizerDescriptors } from '@loom/optim';
import { floatView, type SharedBuffers } from '../trainer/shared-buffers.js';
import type { SliceResult, SliceTask } from './messages.js';

/**
 * Reduces the gradient slots over the task's slice into slot 0, adds the penalty gradients, and
 * (unless this is clipping's norm pass) applies the optimizer's pure update to the slice of the
 * parameters and of every optimizer state buffer.
 */
export function runSlice(memory: SharedMemory, buffers: SharedBuffers, task: SliceTask): SliceResult {
  const t0 = performance.now();
  const { start, end } = task;
  const P = buffers.layout.length;
  const param = floatView(memory, buffers.params + start * 4, end - start);
  const grad = floatView(memory, buffers.slots + start * 4, end - start);
  let sumSquares = 0;
  let absSum = 0;
  let sqSum = 0;
  if (task.phase !== 'update') {
    // The fixed pairwise tree of sumSlots makes the sum independent of who reduces which slice.
    const slots = Array.from({ length: task.slotCount }, (_, k) => floatView(memory, buffers.slots + (k * P + start) * 4, end - start));
    sumSlotsKernel.select('float32')(grad, slots);
    const { l1, l2 } = task;
    if (l1 !== 0 || l2 !== 0) {
      for (let i = 0; i < grad.length; i++) {
        const p = param[i]!;
        absSum += Math.abs(p);
        sqSum += p * p;
        grad[i] = grad[i]! + l1 * Math.sign(p) + 2 * l2 * p;
      }
    }
    // Only gradient clipping needs the norm.
    if (task.phase === 'reduce') for (let i = 0; i < grad.length; i++) sumSquares += grad[i]! * grad[i]!;
  }
  if (task.phase !== 'reduce') {
    if (task.gradScale !== 1) for (let i = 0; i < grad.length; i++) grad[i] = grad[i]! * task.gradScale;
    const descriptor = optimizerDescriptors[task.optimizer as ElementwiseOptimizerName] as unknown as {
      update(param: Float32Array, grad: Float32Array, state: object, hyper: object, step: number): void;
    };
    const state: Record<string, Float32Array> = {};
    for (const [name, offset] of Object.entries(buffers.state)) state[name] = floatView(memory, offset + start * 4, end - start);
    descriptor.update(param, grad, state, task.hyper, task.step);
  }
  return { sumSquares, absSum, sqSum, ms: performance.now() - t0 };
}
