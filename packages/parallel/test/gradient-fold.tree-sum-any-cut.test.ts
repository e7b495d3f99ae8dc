import { describe, expect, it } from 'vitest';
import { Generator, sumSlotsKernel } from '@loom/core';
import { planFold, planSlots } from '../dist/index.js';

const sum = sumSlotsKernel.select('float32');

/** Chunk gradients of very different magnitudes, so that any change of addition order shows in the bits. */
function leaves(chunks: number, length: number, seed: number): Float32Array[] {
  const g = new Generator(seed);
  return Array.from({ length: chunks }, (_, c) => {
    const a = new Float32Array(length);
    g.fillNormal(a);
    return a.map((v) => v * 10 ** ((c % 7) - 3));
  });
}

/** Runs a plan over plain arrays: every worker's ops (chunks copied into slots, merges), then the final sums. */
function runPlan(chunks: number, workers: number, grads: Float32Array[]): { root: Float32Array; slots: number } {
  const { bases, total } = planSlots(chunks, workers);
  const plan = planFold(chunks, workers, bases);
  const slots = Array.from({ length: total }, () => new Float32Array(grads[0]!.length).fill(Number.NaN));
  for (let w = workers - 1; w >= 0; w--) {
    for (const op of plan.workerOps[w]!) {
      if ('chunk' in op) {
        expect(op.slot).toBeGreaterThanOrEqual(bases[w]!);
        expect(op.slot).toBeLessThan(bases[w]! + planSlots(chunks, workers).perWorker[w]!);
        slots[op.slot]!.set(grads[op.chunk]!);
      } else
        sum(
          slots[op.sum.dst]!,
          op.sum.srcs.map((s) => slots[s]!),
        );
    }
  }
  for (const op of plan.finalOps)
    sum(
      slots[op.dst]!,
      op.srcs.map((s) => slots[s]!),
    );
  return { root: slots[0]!, slots: total };
}

describe('the gradient fold', () => {
  it('gives the bits of sumSlots over every chunk, for any chunk count and worker count', () => {
    for (let chunks = 1; chunks <= 40; chunks++) {
      const grads = leaves(chunks, 9, chunks);
      const expected = new Float32Array(9);
      sum(expected, grads);
      for (const workers of [1, 2, 3, 4, 5, 7, 16]) {
        const { root } = runPlan(chunks, workers, grads);
        expect(Buffer.from(root.buffer).equals(Buffer.from(expected.buffer)), `${chunks} chunks on ${workers} workers`).toBe(true);
      }
    }
  });

  it('needs slots that grow like workers × log2(chunks), not like the chunk count', () => {
    for (const workers of [1, 2, 3, 4, 8, 16]) {
      for (const chunks of [16, 64, 256, 1024]) {
        const { total, perWorker } = planSlots(chunks, workers);
        expect(perWorker).toHaveLength(workers);
        // A worker holds at most 2^FOLD_LEVELS − 1 nodes of each merged level on either side of
        // its run; in practice under two slots per level of the tree.
        expect(total, `${chunks} chunks on ${workers} workers`).toBeLessThanOrEqual(workers * (2 * Math.log2(chunks) + 1));
      }
    }
    expect(planSlots(1024, 1).total).toBe(16);
    expect(planSlots(1024, 16).total).toBeLessThan(1024 / 4);
  });
});
