import { Parameter, tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import { Adam, SGD } from '../src/index.js';

describe('an optimizer step is an in-place update autograd can see', () => {
  it('backward through a graph built before step() throws, naming the step', () => {
    const w = new Parameter(tensor([1, 2]));
    const optimizer = new SGD([w], { lr: 0.1 });
    w.mul(w).sum().backward();
    const stale = w.mul(w).sum(); // mul saved w at this version
    optimizer.step();
    expect(Array.from(w.toArray())).toEqual([1 - 0.1 * 2, 2 - 0.1 * 4].map(Math.fround));
    expect(() => stale.backward()).toThrow(/modified by an inplace operation \(SGD\.step\).*input 0 of mul/);
  });

  it('the usual zeroGrad, forward, backward, step loop is unaffected', () => {
    const w = new Parameter(tensor([3, -1]));
    const optimizer = new Adam([w], { lr: 0.5 });
    const losses: number[] = [];
    for (let i = 0; i < 20; i++) {
      optimizer.zeroGrad();
      const loss = w.mul(w).sum();
      loss.backward();
      optimizer.step();
      losses.push(loss.item());
    }
    expect(losses[0]).toBe(10);
    expect(losses[19]).toBeLessThan(1);
  });
});
