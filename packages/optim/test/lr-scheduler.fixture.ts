import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { createScheduler, ReduceLROnPlateau, type JsonValue, type LRScheduler, type SchedulableOptimizer } from '../src/index.js';

/** One case of fixtures/schedulers.json (options in PyTorch's snake_case). */
export interface SchedulerCase {
  id: string;
  scheduler: string;
  options: { [key: string]: JsonValue };
  base_lr: number;
  epochs: number;
  metrics?: number[];
  lrs: number[];
  momentums?: number[];
}

export function loadSchedulerCases(): SchedulerCase[] {
  const url = new URL('./fixtures/schedulers.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as SchedulerCase[];
}

/** `step_size` → `stepSize`, `T_max` → `TMax`, `T_0` → `T0`; nested scheduler specs too. */
export function camelOptions(options: { [key: string]: JsonValue }): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  for (const [key, value] of Object.entries(options)) {
    const camel = key.replace(/_(.)/g, (_, c: string) => c.toUpperCase());
    out[camel] =
      key === 'schedulers' && Array.isArray(value)
        ? value.map((spec) => {
            const { scheduler, options: inner } = spec as { scheduler: string; options: { [key: string]: JsonValue } };
            return { scheduler, options: camelOptions(inner) };
          })
        : value;
  }
  return out;
}

/** The fixture's optimizer: SGD([dummy], lr=base_lr), momentum 0; only its groups matter here. */
export function fakeOptimizer(baseLr: number): SchedulableOptimizer {
  return { paramGroups: [{ lr: baseLr, momentum: 0 }] };
}

export function buildScheduler(c: SchedulerCase, optimizer: SchedulableOptimizer): LRScheduler | ReduceLROnPlateau {
  return createScheduler(c.scheduler, optimizer, camelOptions(c.options));
}

/** Steps the scheduler as the fixture script does, from epoch `from` up to `to`, recording lr (and momentum). */
export function runEpochs(
  c: SchedulerCase,
  optimizer: SchedulableOptimizer,
  scheduler: LRScheduler | ReduceLROnPlateau,
  from: number,
  to: number,
): { lrs: number[]; momentums: number[] } {
  const lrs: number[] = [];
  const momentums: number[] = [];
  for (let e = from; e < to; e++) {
    const group = optimizer.paramGroups[0]!;
    lrs.push(group.lr);
    momentums.push(group.momentum ?? NaN);
    if (scheduler instanceof ReduceLROnPlateau) scheduler.step(c.metrics![e]!);
    else scheduler.step();
  }
  return { lrs, momentums };
}

/** Asserts every value within 1e-12 (relative to values above 1), naming the case and epoch. */
export function expectSequence(actual: number[], expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  expected.forEach((e, i) => {
    const a = actual[i]!;
    if (!(Math.abs(a - e) <= 1e-12 * Math.max(1, Math.abs(e)))) {
      throw new Error(`${what}: epoch ${i}: got ${a}, PyTorch gives ${e}`);
    }
  });
}
