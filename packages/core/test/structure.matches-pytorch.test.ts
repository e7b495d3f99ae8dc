import { describe, expect, it } from 'vitest';
import { avgPool2d, conv2d, embedding, layerNorm, maxPool2d, type Tensor } from '../src/index.js';
import { checkOpCase, type OpInputs, opCases } from './fixtures/op-cases.js';

type Args = Record<string, unknown>;
const num = (a: Args, name: string): number => a[name] as number;

const ops: Record<string, (x: OpInputs, args: Args) => Tensor> = {
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

const cases = opCases(Object.keys(ops));

describe('structure ops match PyTorch 1.13 (float64, 1e-10 relative)', () => {
  it('covers every fixture op', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(ops)));
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    checkOpCase(c, (inputs, args) => ({ out: ops[c.op]!(inputs, args) }));
  });
});
