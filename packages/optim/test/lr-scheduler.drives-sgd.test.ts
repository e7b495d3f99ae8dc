import { backward, tensor, type Tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import { CyclicLR, ReduceLROnPlateau, SGD, type OptimizerStateDict } from '../src/index.js';
import { buildScheduler, expectSequence, loadSchedulerCases, type SchedulerCase } from './lr-scheduler.fixture.js';

const cases = loadSchedulerCases();

/**
 * One epoch as the fixture script runs it, on a real SGD: the loss is the parameter's sum, so its
 * gradient is 1 and (momentum 0) the parameter moves down by exactly the lr in effect.
 */
function trainEpochs(
  c: SchedulerCase,
  p: Tensor,
  optimizer: SGD,
  scheduler: ReturnType<typeof buildScheduler>,
  from: number,
  to: number,
): number[] {
  const applied: number[] = [];
  for (let e = from; e < to; e++) {
    optimizer.zeroGrad();
    backward(p.sum());
    const before = p.item();
    optimizer.step();
    applied.push(before - p.item());
    if (scheduler instanceof ReduceLROnPlateau) scheduler.step(c.metrics![e]!);
    else scheduler.step();
  }
  return applied;
}

describe('schedulers drive a real SGD', () => {
  const ids = ['CosineAnnealingLR-T_max15-eta_min0.001', 'SequentialLR-LinearLR+CosineAnnealingLR-milestones5'];
  it.each(ids)('%s: each step moves the parameter by the scheduled lr, also after a resume', (id) => {
    const c = cases.find((x) => x.id === id)!;
    const p = tensor([0], { dtype: 'float64', requiresGrad: true });
    const optimizer = new SGD([p], { lr: c.base_lr });
    const scheduler = buildScheduler(c, optimizer);
    const k = Math.floor(c.epochs / 2);
    const applied = trainEpochs(c, p, optimizer, scheduler, 0, k);

    // Save both states through JSON, then continue on a fresh optimizer and scheduler.
    const savedOptimizer = JSON.stringify(optimizer.stateDict());
    const savedScheduler = JSON.stringify(scheduler.stateDict());
    const resumedOptimizer = new SGD([p], { lr: c.base_lr });
    const resumed = buildScheduler(c, resumedOptimizer);
    resumedOptimizer.loadStateDict(JSON.parse(savedOptimizer) as OptimizerStateDict);
    resumed.loadStateDict(JSON.parse(savedScheduler));
    applied.push(...trainEpochs(c, p, resumedOptimizer, resumed, k, c.epochs));

    expectSequence(applied, c.lrs, id);
    expect(resumedOptimizer.paramGroups[0]!.initialLr).toBe(c.base_lr);
  });

  it('CyclicLR cycles the momentum SGD uses', () => {
    const c = cases.find((x) => x.scheduler === 'CyclicLR' && x.momentums !== undefined)!;
    const optimizer = new SGD([tensor([0], { dtype: 'float64', requiresGrad: true })], { lr: c.base_lr });
    const scheduler = buildScheduler(c, optimizer) as CyclicLR;
    expect(scheduler).toBeInstanceOf(CyclicLR);
    const momentums: number[] = [];
    for (let e = 0; e < c.epochs; e++) {
      momentums.push(optimizer.paramGroups[0]!.momentum);
      scheduler.step();
    }
    expectSequence(momentums, c.momentums!, c.id);
  });
});
