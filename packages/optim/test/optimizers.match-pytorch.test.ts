import { Tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import {
  buildOptimizer,
  cases,
  expectRelClose,
  fixtureNumber,
  initialParams,
  objectiveClosure,
  values,
} from './helpers/optimizer-fixture.js';

const RTOL = 1e-9;
const trajectories = cases.filter((c) => c.raises !== true);

describe('optimizers match PyTorch 1.13 trajectories (float64, rtol 1e-9)', () => {
  it('covers every optimizer of the issue', () => {
    const names = new Set(trajectories.map((c) => c.optimizer));
    for (const name of [
      'SGD',
      'ASGD',
      'Adagrad',
      'Adadelta',
      'RMSprop',
      'Adam',
      'AdamW',
      'Adamax',
      'NAdam',
      'RAdam',
      'SparseAdam',
      'LBFGS',
      'Rprop',
    ]) {
      expect(names.has(name as never), name).toBe(true);
    }
  });

  it.each(trajectories.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const params = initialParams(c);
    const optimizer = buildOptimizer(c, params);
    let step = 0;
    const closure = objectiveClosure(c, params, () => step);
    for (step = 0; step < c.steps!; step++) {
      const loss = optimizer.step(closure);
      expectRelClose([loss as number], [fixtureNumber(c.losses![step]!)], RTOL, `loss before step ${step + 1}`);
      params.forEach((p, k) => expectRelClose(p.toArray(), values(c.trajectory![step]![k]!), RTOL, `param ${k} after step ${step + 1}`));
    }
    const final = c.final_state;
    if (c.optimizer === 'ASGD' && final) {
      params.forEach((p, k) => {
        const state = optimizer.state.get(p)!;
        expectRelClose((state.ax as Tensor).toArray(), values((final.ax as never[])[k]!), RTOL, `ax of param ${k}`);
        for (const key of ['eta', 'mu', 'step']) {
          expectRelClose([state[key] as number], [(final[key] as number[])[k]!], RTOL, `${key} of param ${k}`);
        }
      });
    }
    if (c.optimizer === 'LBFGS' && final) {
      const state = optimizer.state.get(params[0]!)!;
      expect({ funcEvals: state.funcEvals, nIter: state.nIter }).toEqual({ funcEvals: final.func_evals, nIter: final.n_iter });
    }
  });
});
