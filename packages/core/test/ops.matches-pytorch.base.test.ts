import { describe, it } from 'vitest';
import { add, div, matmul, mean, mul, sum, type Tensor } from '../src/index.js';
import { checkOpCase, type OpInputs, opCases } from './fixtures/op-cases.js';

const ops: Record<string, (x: OpInputs, args: Record<string, unknown>) => Tensor> = {
  matmul: (x) => matmul(x['input']!, x['other']!),
  add: (x) => add(x['input']!, x['other']!),
  mul: (x) => mul(x['input']!, x['other']!),
  div: (x) => div(x['input']!, x['other']!),
  sum: (x, a) => sum(x['input']!, a['dim'] as number, a['keepdim'] as boolean),
  mean: (x, a) => mean(x['input']!, a['dim'] as number, a['keepdim'] as boolean),
};

describe('base ops match PyTorch 1.13 (float64, 1e-10 relative)', () => {
  it.each(opCases(Object.keys(ops)).map((c) => [c.id, c] as const))('%s', (_id, c) => {
    checkOpCase(c, (inputs, args) => ({ out: ops[c.op]!(inputs, args) }));
  });
});
