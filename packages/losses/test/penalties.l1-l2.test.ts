import { add, mul, Parameter, randn, tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import { l1Penalty, l2Penalty, mseLoss } from '../src/index.js';

describe('l1Penalty and l2Penalty', () => {
  it('sum |p| and p² over every parameter, as scalars', () => {
    const params = [
      new Parameter(
        tensor(
          [
            [1, -2],
            [0, 3],
          ],
          { dtype: 'float64' },
        ),
      ),
      new Parameter(tensor([-0.5], { dtype: 'float64' })),
    ];
    const l1 = l1Penalty(params);
    const l2 = l2Penalty(params);
    expect(l1.shape).toEqual([]);
    expect(l1.item()).toBe(6.5);
    expect(l2.item()).toBe(14.25);
    l1.backward();
    expect(params[0]!.grad!.tolist()).toEqual([
      [1, -1],
      [0, 1],
    ]);
    expect(params[1]!.grad!.tolist()).toEqual([-1]);
  });

  it('make the L1 recipe work as written: loss = criterion(pred, target) + λ·l1Penalty(params)', () => {
    const w = new Parameter(tensor([0.5, -1.5], { dtype: 'float64' }));
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float64' },
    );
    const target = tensor([1, 0], { dtype: 'float64' });
    const lambda = 0.01;
    const pred = x.matmul(w);
    const loss = add(mseLoss(pred, target), mul(l1Penalty([w]), lambda));
    loss.backward();
    // pred = [-2.5, -4.5]; mse = ((−3.5)² + (−4.5)²)/2 = 16.25; penalty = 2.
    expect(loss.item()).toBeCloseTo(16.25 + lambda * 2, 12);
    // d mse / d w = xᵀ (pred − target) = [−17, −25]; plus λ·sign(w).
    expect(w.grad!.toArray()[0]).toBeCloseTo(-17 + lambda, 12);
    expect(w.grad!.toArray()[1]).toBeCloseTo(-25 - lambda, 12);
  });

  it('keep float32 parameters float32 and give 0 for no parameters', () => {
    expect(l2Penalty([randn([3])]).dtype).toBe('float32');
    expect(l1Penalty([]).item()).toBe(0);
  });
});
