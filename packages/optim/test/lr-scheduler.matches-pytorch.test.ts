import { describe, it } from 'vitest';
import { buildScheduler, expectSequence, fakeOptimizer, loadSchedulerCases, runEpochs } from './lr-scheduler.fixture.js';

const cases = loadSchedulerCases();

describe('LR schedulers match PyTorch 1.13 (schedulers.json)', () => {
  it.each(cases.map((c) => [c.id, c] as const))('%s', (_, c) => {
    const optimizer = fakeOptimizer(c.base_lr);
    const scheduler = buildScheduler(c, optimizer);
    const { lrs, momentums } = runEpochs(c, optimizer, scheduler, 0, c.epochs);
    expectSequence(lrs, c.lrs, `${c.id} lr`);
    if (c.momentums !== undefined) expectSequence(momentums, c.momentums, `${c.id} momentum`);
  });
});
