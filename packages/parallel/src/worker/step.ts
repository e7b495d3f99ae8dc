import type { SharedMemory } from '@loom/core';
import type { SharedBuffers } from '../trainer/shared-buffers.js';
import type { StepResult, StepTask } from './messages.js';
import { type Replica, runShard } from './shard.js';
import { reduceSlice, updateSlice } from './slice.js';
import type { StepBlock } from './step-block.js';

/**
 * One whole training step on one worker, in a single dispatch: the gradients of its chunks, a
 * barrier, then — unless a worker failed or the batch loss is not finite, which every worker
 * decides the same way from the shared block — the reduction and optimizer update of its slice
 * (with gradient clipping, a second barrier between the two so that every worker knows the
 * global norm). Every worker passes every barrier whatever happens, so none is left waiting.
 */
export function runStep(r: Replica, memory: SharedMemory, buffers: SharedBuffers, block: StepBlock, task: StepTask): StepResult {
  const result: StepResult = { losses: [], shardMs: 0, sliceMs: 0, absSum: 0, sqSum: 0, updated: false };
  let error: unknown = null;
  if (task.shard) {
    block.setComputing(task.worker, true);
    try {
      const shard = runShard(r, task.shard);
      shard.losses.forEach((l, i) => (block.chunkLosses[task.shard!.chunkStart + i] = l));
      result.losses = shard.losses;
      result.shardMs = shard.ms;
    } catch (e) {
      error = e;
      block.fail();
    }
    block.setComputing(task.worker, false);
  }
  block.barrier();
  let total = 0;
  for (let c = 0; c < task.chunks; c++) total += block.chunkLosses[c]!;
  const proceed = !block.failed && Number.isFinite(total / task.normalizer);
  if (proceed) {
    const t0 = performance.now();
    const reduced = task.slice ? reduceSlice(memory, buffers, task.slice, task.update) : { sumSquares: 0, absSum: 0, sqSum: 0 };
    let gradScale = 1;
    if (task.update.clipGradNorm !== null) {
      block.sumSquares[task.worker] = reduced.sumSquares;
      block.barrier();
      let sumSquares = 0;
      for (let w = 0; w < block.workers; w++) sumSquares += block.sumSquares[w]!;
      // torch.nn.utils.clip_grad_norm_: scale by max_norm / (norm + 1e-6) when that is below 1.
      const coef = task.update.clipGradNorm / (Math.sqrt(sumSquares) + 1e-6);
      gradScale = coef < 1 ? coef : 1;
    }
    if (task.slice) updateSlice(memory, buffers, task.slice, task.update, gradScale);
    result.absSum = reduced.absSum;
    result.sqSum = reduced.sqSum;
    result.sliceMs = performance.now() - t0;
    result.updated = true;
  }
  if (error) throw error;
  return result;
}
