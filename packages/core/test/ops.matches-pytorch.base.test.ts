import { describe, expect, it } from 'vitest';
import { add, div, matmul, mean, mul, sum, type Tensor } from '../src/index.js';
import { expectClose, type FixtureTensor, fromFixture, loadFixture } from './fixtures/pytorch.js';

interface OpCase {
  id: string;
  op: string;
  args: Record<string, unknown>;
  inputs: Record<string, FixtureTensor>;
  output: FixtureTensor;
  upstream: FixtureTensor;
  grads: Record<string, FixtureTensor>;
}

type Inputs = Record<string, Tensor>;
const ops: Record<string, (x: Inputs, args: Record<string, unknown>) => Tensor> = {
  matmul: (x) => matmul(x['input']!, x['other']!),
  add: (x) => add(x['input']!, x['other']!),
  mul: (x) => mul(x['input']!, x['other']!),
  div: (x) => div(x['input']!, x['other']!),
  sum: (x, a) => sum(x['input']!, a['dim'] as number, a['keepdim'] as boolean),
  mean: (x, a) => mean(x['input']!, a['dim'] as number, a['keepdim'] as boolean),
};

const cases = loadFixture<OpCase[]>('ops.json').filter((c) => c.op in ops);

describe('base ops match PyTorch 1.13 (float64, 1e-10 relative)', () => {
  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const inputs: Inputs = {};
    for (const [name, t] of Object.entries(c.inputs)) {
      const x = fromFixture(t);
      if (x.dtype === 'float64') x.requiresGrad = true;
      inputs[name] = x;
    }
    const out = ops[c.op]!(inputs, c.args);
    expectClose(out, c.output, 1e-10, 1e-12, `${c.id} output`);
    out.backward(fromFixture(c.upstream));
    for (const [name, g] of Object.entries(c.grads)) {
      expect(inputs[name]!.grad).not.toBeNull();
      expectClose(inputs[name]!.grad!, g, 1e-10, 1e-12, `${c.id} grad ${name}`);
    }
  });
});
