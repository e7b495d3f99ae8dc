import { describe, expect, it } from 'vitest';
import { avgPool2d, conv2d, embedding, layerNorm, maxPool2d, type Tensor } from '../src/index.js';
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
type Args = Record<string, unknown>;
const num = (a: Args, name: string): number => a[name] as number;

const ops: Record<string, (x: Inputs, args: Args) => Tensor> = {
  conv2d: (x, a) =>
    conv2d(x['input']!, x['weight']!, x['bias'] ?? null, {
      stride: num(a, 'stride'),
      padding: num(a, 'padding'),
      dilation: num(a, 'dilation'),
      groups: num(a, 'groups'),
    }),
  max_pool2d: (x, a) => maxPool2d(x['input']!, { kernelSize: num(a, 'kernel_size'), stride: num(a, 'stride'), padding: num(a, 'padding') }),
  avg_pool2d: (x, a) =>
    avgPool2d(x['input']!, {
      kernelSize: num(a, 'kernel_size'),
      stride: num(a, 'stride'),
      padding: num(a, 'padding'),
      countIncludePad: a['count_include_pad'] as boolean,
    }),
  layer_norm: (x, a) => layerNorm(x['input']!, a['normalized_shape'] as number[], x['weight'] ?? null, x['bias'] ?? null, num(a, 'eps')),
  embedding: (x, a) => embedding(x['input']!, x['weight']!, { paddingIdx: a['padding_idx'] as number | undefined }),
};

const cases = loadFixture<OpCase[]>('ops.json').filter((c) => c.op in ops);

describe('structure ops match PyTorch 1.13 (float64, 1e-10 relative)', () => {
  it('covers every fixture op', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(ops)));
  });

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
