import { randn, tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import {
  BCEWithLogitsLoss,
  CrossEntropyLoss,
  createLoss,
  crossEntropy,
  KLDivLoss,
  LOSS_NAMES,
  LossModule,
  MarginRankingLoss,
  NLLLoss,
  NLLLoss2d,
  SmoothL1Loss,
} from '../src/index.js';

describe('createLoss builds a loss by name from JSON options', () => {
  it('accepts PyTorch class names and short names', () => {
    expect(createLoss('CrossEntropyLoss')).toBeInstanceOf(CrossEntropyLoss);
    expect(createLoss('cross_entropy')).toBeInstanceOf(CrossEntropyLoss);
    expect(createLoss('NLLLoss2d')).toBeInstanceOf(NLLLoss);
    expect(NLLLoss2d).toBe(NLLLoss);
    expect(createLoss('bce_with_logits')).toBeInstanceOf(BCEWithLogitsLoss);
    expect(createLoss('margin_ranking', { margin: 0.5 })).toBeInstanceOf(MarginRankingLoss);
    for (const name of LOSS_NAMES) expect(createLoss(name)).toBeInstanceOf(LossModule);
  });

  it('passes the options, turning weight arrays into tensors', () => {
    const loss = createLoss('cross_entropy', {
      weight: [1, 2, 3],
      labelSmoothing: 0.1,
      ignoreIndex: 0,
      reduction: 'sum',
    }) as CrossEntropyLoss;
    expect(loss.reduction).toBe('sum');
    expect(loss.labelSmoothing).toBe(0.1);
    expect(loss.ignoreIndex).toBe(0);
    expect(loss.weight!.tolist()).toEqual([1, 2, 3]);
    const x = randn([4, 3], { dtype: 'float64' });
    const t = tensor(Int32Array.from([0, 1, 2, 1]));
    const direct = crossEntropy(x, t, {
      weight: tensor([1, 2, 3], { dtype: 'float64' }),
      labelSmoothing: 0.1,
      ignoreIndex: 0,
      reduction: 'sum',
    });
    expect(loss.forward(x, t).item()).toBe(direct.item());
    expect((createLoss('smooth_l1', { beta: 0.5 }) as SmoothL1Loss).beta).toBe(0.5);
    expect((createLoss('kl_div', { reduction: 'batchmean', logTarget: true }) as KLDivLoss).logTarget).toBe(true);
  });

  it('names the known losses when the name is unknown', () => {
    expect(() => createLoss('hinge' as never)).toThrow(/unknown loss 'hinge'; known losses are L1Loss, .*cross_entropy, .*margin_ranking/);
  });

  it('refuses unknown options and suggests the camelCase spelling', () => {
    expect(() => createLoss('cross_entropy', { ignore_index: 1 })).toThrow(
      /CrossEntropyLoss: unknown option 'ignore_index' \(did you mean 'ignoreIndex'\?\)/,
    );
    expect(() => createLoss('mse', { beta: 1 })).toThrow(/createLoss: MSELoss: unknown option 'beta'; known options: reduction/);
  });

  it('validates the option values', () => {
    expect(() => createLoss('mse', { reduction: 'avg' })).toThrow(/MSELoss: avg is not a valid value for reduction/);
    expect(() => createLoss('kl_div', { reduction: 'batchmean' })).not.toThrow();
    expect(() => createLoss('l1', { reduction: 'batchmean' })).toThrow(/not a valid value for reduction/);
    expect(() => createLoss('smooth_l1', { beta: -1 })).toThrow(/beta must be non-negative/);
    expect(() => createLoss('huber', { delta: 0 })).toThrow(/delta must be positive/);
    expect(() => createLoss('cross_entropy', { labelSmoothing: 1.5 })).toThrow(/labelSmoothing must be between 0.0 and 1.0/);
    expect(() => createLoss('nll', { ignoreIndex: 0.5 })).toThrow(/ignoreIndex must be an integer/);
    expect(() => createLoss('bce', { weight: ['a'] })).toThrow(/must hold numbers/);
  });
});
