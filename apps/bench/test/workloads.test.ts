import { createBuiltinModel, type ModelSpec } from '@loom/parallel';
import { describe, expect, it } from 'vitest';
import { modelSpec } from '../src/scaling/loom.js';
import { stepsWithinBudget, timeSteps } from '../src/scaling/protocol.js';
import { chunkCount, microBatchOf, parameterCount, selectWorkloads, syntheticData, WORKLOADS } from '../src/scaling/workloads.js';

describe('workloads', () => {
  it('count the parameters torch.nn would give the same networks', () => {
    const [w1, w2, w3] = WORKLOADS;
    // 784·256+256 + 256·128+128 + 128·10+10
    expect(parameterCount(w1!)).toBe(235_146);
    // 784·1024+1024 + 1024·1024+1024 + 1024·10+10
    expect(parameterCount(w2!)).toBe(1_863_690);
    // LeNet-5 with padding 2: 156 + 2416 + 48120 + 10164 + 850
    expect(parameterCount(w3!)).toBe(61_706);
  });

  it('count W4 as the char-transformer built-in the trainer builds from its spec', () => {
    const w4 = WORKLOADS[3]!;
    expect(parameterCount(w4)).toBe(createBuiltinModel(modelSpec(w4) as Extract<ModelSpec, { builtin: string }>).numParameters());
    // Token ids in range, one target per position.
    const { features, targets } = syntheticData(w4, 2, 1);
    expect(features.length).toBe(2 * 64 * 16);
    expect(targets.length).toBe(2 * 64 * 16);
    expect(features.every((t) => Number.isInteger(t) && t >= 0 && t < 54)).toBe(true);
    expect(targets.every((t) => t >= 0 && t < 54)).toBe(true);
  });

  it('keep the micro-batch fixed: 16 chunks, more when there are more workers', () => {
    expect(chunkCount(2)).toBe(16);
    expect(chunkCount(16)).toBe(16);
    expect(chunkCount(24)).toBe(32);
    expect(WORKLOADS.map((w) => microBatchOf(w, chunkCount(2)))).toEqual([16, 32, 8, 4]);
    expect(microBatchOf(WORKLOADS[2]!, 256)).toBe(1);
  });

  it('select by id in canonical order and refuse unknown ids', () => {
    expect(selectWorkloads(['W3', 'W1']).map((w) => w.id)).toEqual(['W1', 'W3']);
    expect(() => selectWorkloads(['W5'])).toThrow(/unknown workload 'W5' \(known: W1, W2, W3, W4\)/);
  });

  it('draw standard normal inputs and in-range class targets, the same for the same seed', () => {
    const w = WORKLOADS[0]!;
    const { features, targets } = syntheticData(w, 8, 3);
    expect(features.length).toBe(8 * 256 * 784);
    expect(targets.length).toBe(8 * 256);
    let sum = 0;
    let sq = 0;
    for (const x of features) {
      sum += x;
      sq += x * x;
    }
    const mean = sum / features.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(sq / features.length - mean * mean).toBeGreaterThan(0.98);
    expect(sq / features.length - mean * mean).toBeLessThan(1.02);
    expect(targets.every((t) => t >= 0 && t < 10)).toBe(true);
    expect(syntheticData(w, 1, 3).targets).toEqual(syntheticData(w, 1, 3).targets);
  });
});

describe('timing protocol', () => {
  const protocol = { warmupSteps: 2, warmupMs: 0, steps: 10, minRunMs: 0, timedBatches: 4, repeats: 5, budgetMs: 1000 };

  it('runs fewer steps per run for a slow system, never fewer than one', () => {
    expect(stepsWithinBudget(protocol, 1)).toBe(10);
    expect(stepsWithinBudget(protocol, 50)).toBe(4);
    expect(stepsWithinBudget(protocol, 5000)).toBe(1);
    expect(stepsWithinBudget(protocol, 0)).toBe(10);
  });

  it('runs more steps per run for a fast system, until a run takes minRunMs, within the budget', () => {
    const fast = { ...protocol, minRunMs: 100 };
    expect(stepsWithinBudget(fast, 2.5)).toBe(40);
    expect(stepsWithinBudget(fast, 20)).toBe(10);
    // The budget leaves 1,000 ms / 5 runs = 200 ms a run: 400 steps of 0.5 ms, not the 1,000 that 500 ms would take.
    expect(stepsWithinBudget({ ...fast, minRunMs: 500 }, 0.5)).toBe(400);
  });

  it('warms up untimed, then times each run', async () => {
    let calls = 0;
    const { runs, steps } = await timeSteps(() => void calls++, 32, protocol);
    expect(steps).toBe(10);
    expect(calls).toBe(2 + 5 * 10);
    expect(runs).toHaveLength(5);
    expect(runs.every((r) => r > 0)).toBe(true);
  });
});
