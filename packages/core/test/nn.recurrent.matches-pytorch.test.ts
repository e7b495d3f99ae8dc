import { describe, it } from 'vitest';
import { GRU, LSTM, type RNNOptions, type Tensor } from '../src/index.js';
import { camelOptions, checkModuleCase, moduleCases } from './fixtures/sequence-module-cases.js';

const cases = moduleCases('modules.recurrent.json');

function rnnOptions(options: Record<string, unknown>): RNNOptions {
  return { ...camelOptions(options, ['input_size', 'hidden_size']), dtype: 'float64' };
}

describe('LSTM and GRU match PyTorch 1.13 (float64, outputs and gradients within 1e-9)', () => {
  it.each(cases.filter((c) => c.module === 'LSTM').map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const lstm = new LSTM(c.options['input_size'] as number, c.options['hidden_size'] as number, rnnOptions(c.options));
    checkModuleCase(c, lstm, (x) => {
      const hx: [Tensor, Tensor] | undefined = x['h0'] && x['c0'] ? [x['h0'], x['c0']] : undefined;
      const [output, [hN, cN]] = lstm.forward(x['input']!, hx);
      return { output, h_n: hN, c_n: cN };
    });
  });

  it.each(cases.filter((c) => c.module === 'GRU').map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const gru = new GRU(c.options['input_size'] as number, c.options['hidden_size'] as number, rnnOptions(c.options));
    checkModuleCase(c, gru, (x) => {
      const [output, hN] = gru.forward(x['input']!, x['h0']);
      return { output, h_n: hN };
    });
  });
});
