import { describe, expect, it } from 'vitest';
import { LambdaLR, type SchedulableOptimizer } from '../src/index.js';
import {
  buildScheduler,
  expectSequence,
  fakeOptimizer,
  loadSchedulerCases,
  runEpochs,
  type SchedulerCase,
} from './lr-scheduler.fixture.js';

const cases = loadSchedulerCases();

/** What a checkpoint holds: the optimizer's groups and the scheduler's state, through JSON. */
function checkpoint(optimizer: SchedulableOptimizer, state: object): { groups: string; scheduler: string } {
  return { groups: JSON.stringify(optimizer.paramGroups), scheduler: JSON.stringify(state) };
}

function resumeAt(c: SchedulerCase, k: number): void {
  const optimizer = fakeOptimizer(c.base_lr);
  const scheduler = buildScheduler(c, optimizer);
  runEpochs(c, optimizer, scheduler, 0, k);
  const saved = checkpoint(optimizer, scheduler.stateDict());
  const rest = runEpochs(c, optimizer, scheduler, k, c.epochs);

  // As in PyTorch: build a fresh optimizer and scheduler, then load both states.
  const resumedOptimizer = fakeOptimizer(c.base_lr);
  const resumed = buildScheduler(c, resumedOptimizer);
  resumedOptimizer.paramGroups.forEach((group, i) => Object.assign(group, JSON.parse(saved.groups)[i]));
  resumed.loadStateDict(JSON.parse(saved.scheduler));
  const resumedRest = runEpochs(c, resumedOptimizer, resumed, k, c.epochs);

  expect(resumedRest, `${c.id} resumed at epoch ${k}`).toEqual(rest);
  expect(resumed.getLastLr()).toEqual(scheduler.getLastLr());
  expectSequence(resumedRest.lrs, c.lrs.slice(k), `${c.id} resumed at epoch ${k}`);
}

describe('a scheduler resumed from stateDict() continues exactly', () => {
  it.each(cases.map((c) => [c.id, c] as const))('%s', (_, c) => {
    for (const k of [0, 1, Math.floor(c.epochs / 3), Math.floor((2 * c.epochs) / 3)]) resumeAt(c, k);
  });

  it('stateDict() survives a JSON round trip unchanged and holds no functions', () => {
    for (const c of cases) {
      const optimizer = fakeOptimizer(c.base_lr);
      const scheduler = buildScheduler(c, optimizer);
      runEpochs(c, optimizer, scheduler, 0, 5);
      const state = scheduler.stateDict();
      expect(JSON.parse(JSON.stringify(state)), c.id).toEqual(state);
    }
  });

  it('the saved state does not change as the scheduler goes on', () => {
    const optimizer = fakeOptimizer(0.1);
    const c = cases.find((x) => x.scheduler === 'CosineAnnealingWarmRestarts')!;
    const scheduler = buildScheduler(c, optimizer);
    const state = scheduler.stateDict();
    const copy = JSON.stringify(state);
    runEpochs(c, optimizer, scheduler, 0, 12);
    expect(JSON.stringify(state)).toBe(copy);
  });

  it('LambdaLR resumes when given the same functions', () => {
    const lrLambda = (epoch: number): number => 0.5 ** epoch;
    const optimizer = fakeOptimizer(1);
    const scheduler = new LambdaLR(optimizer, { lrLambda });
    for (let i = 0; i < 3; i++) scheduler.step();
    const state = JSON.parse(JSON.stringify(scheduler.stateDict()));
    expect(Object.keys(state)).not.toContain('lrLambdas');

    const resumed = new LambdaLR(fakeOptimizer(1), { lrLambda });
    resumed.loadStateDict(state);
    scheduler.step();
    resumed.step();
    expect(resumed.getLastLr()).toEqual([0.0625]);
    expect(resumed.getLastLr()).toEqual(scheduler.getLastLr());
  });

  it('refuses a state with keys the scheduler does not have', () => {
    const scheduler = buildScheduler(cases[0]!, fakeOptimizer(0.1));
    expect(() => scheduler.loadStateDict({ TMax: 3 })).toThrow("StepLR.loadStateDict: unexpected key 'TMax' in state");
  });
});
