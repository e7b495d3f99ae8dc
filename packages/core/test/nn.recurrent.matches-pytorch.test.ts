import { describe, it } from 'vitest';
import { GRU, LSTM, type RNNOptions, type Tensor } from '../src/index.js';
import { checkModuleCase, constructorArgs, type ModuleCase, moduleCases } from './fixtures/module-cases.js';

function rnnArgs(c: ModuleCase): [number, number, RNNOptions] {
  const [[inputSize, hiddenSize], rest] = constructorArgs(c.options, ['input_size', 'hidden_size']);
  return [inputSize as number, hiddenSize as number, rest];
}

describe('LSTM and GRU match PyTorch 1.13 (modules.json, float64, outputs and gradients within 1e-9)', () => {
  it.each(moduleCases(['LSTM']).map((c) => [c.id, c] as const))('%s', (_id, c) => {
    checkModuleCase(
      c,
      (k) => new LSTM(...rnnArgs(k)),
      (lstm, x) => {
        const hx: [Tensor, Tensor] | undefined = x['h0'] && x['c0'] ? [x['h0'], x['c0']] : undefined;
        const [output, [hN, cN]] = lstm.forward(x['input']!, hx);
        return { output, h_n: hN, c_n: cN };
      },
    );
  });

  it.each(moduleCases(['GRU']).map((c) => [c.id, c] as const))('%s', (_id, c) => {
    checkModuleCase(
      c,
      (k) => new GRU(...rnnArgs(k)),
      (gru, x) => {
        const [output, hN] = gru.forward(x['input']!, x['h0']);
        return { output, h_n: hN };
      },
    );
  });
});
