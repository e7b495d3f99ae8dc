import { describe, expect, it } from 'vitest';
import {
  LayerNorm,
  MultiheadAttention,
  type MultiheadAttentionOptions,
  TransformerEncoder,
  TransformerEncoderLayer,
  type TransformerEncoderLayerOptions,
  noGrad,
  type Tensor,
} from '../src/index.js';
import { checkModuleCase, constructorArgs, type ModuleCase, moduleCases } from './fixtures/module-cases.js';
import { fromFixture } from './fixtures/pytorch.js';

const layerCases = moduleCases(['TransformerEncoderLayer']);

function buildLayer(c: ModuleCase): TransformerEncoderLayer {
  const [[dModel, nhead], rest] = constructorArgs(c.options, ['d_model', 'nhead']);
  return new TransformerEncoderLayer(dModel as number, nhead as number, { ...(rest as TransformerEncoderLayerOptions), dtype: 'float64' });
}

describe('MultiheadAttention and TransformerEncoderLayer match PyTorch 1.13 (modules.json, float64, within 1e-9)', () => {
  it.each(moduleCases(['MultiheadAttention']).map((c) => [c.id, c] as const))('%s', (_id, c) => {
    checkModuleCase(
      c,
      (k) => {
        const [[embedDim, numHeads], rest] = constructorArgs(k.options, ['embed_dim', 'num_heads']);
        return new MultiheadAttention(embedDim as number, numHeads as number, rest as MultiheadAttentionOptions);
      },
      (mha, x, args): Record<string, Tensor> => {
        const [attnOutput, attnWeights] = mha.forward(x['query']!, x['key']!, x['value']!, {
          keyPaddingMask: x['key_padding_mask'] ?? null,
          attnMask: x['attn_mask'] ?? null,
          needWeights: args['need_weights'] as boolean,
          averageAttnWeights: args['average_attn_weights'] as boolean,
        });
        return attnWeights ? { attn_output: attnOutput, attn_weights: attnWeights } : { attn_output: attnOutput };
      },
    );
  });

  it.each(layerCases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    checkModuleCase(c, buildLayer, (layer, x) => ({
      output: layer.forward(x['src']!, { srcMask: x['src_mask'] ?? null, srcKeyPaddingMask: x['src_key_padding_mask'] ?? null }),
    }));
  });
});

describe('TransformerEncoder', () => {
  it('stacks copies of its layer under layers.N and equals applying them in turn, then its norm', () => {
    const c = layerCases.find((k) => k.inputs['src_mask'] && k.options['norm_first'] === true)!;
    const layer = buildLayer(c);
    layer.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, t]) => [k, fromFixture(t)])));
    const norm = new LayerNorm(c.options['d_model'] as number, { dtype: 'float64' });
    const encoder = new TransformerEncoder(layer, 2, { norm });
    const keys = Object.keys(encoder.stateDict());
    expect(keys).toEqual([
      ...Object.keys(c.state).map((k) => `layers.0.${k}`),
      ...Object.keys(c.state).map((k) => `layers.1.${k}`),
      'norm.weight',
      'norm.bias',
    ]);
    // Copies, not shared: the layers start equal to the given one and are separate parameters.
    expect(encoder.layers.at(1).linear1.weight.toArray()).toEqual(layer.linear1.weight.toArray());
    expect(encoder.layers.at(0).linear1.weight).not.toBe(encoder.layers.at(1).linear1.weight);
    encoder.layers.at(1).linear1.weight.data()[0] = 0.5;
    const src = fromFixture(c.inputs['src']!);
    const srcMask = fromFixture(c.inputs['src_mask']!);
    noGrad(() => {
      const expected = norm.forward(encoder.layers.at(1).forward(encoder.layers.at(0).forward(src, { srcMask }), { srcMask }));
      expect(encoder.forward(src, { mask: srcMask }).toArray()).toEqual(expected.toArray());
    });
  });
});
