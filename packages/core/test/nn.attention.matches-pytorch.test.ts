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
import { camelOptions, checkModuleCase, moduleCases } from './fixtures/sequence-module-cases.js';
import { fromFixture } from './fixtures/pytorch.js';

const cases = moduleCases('modules.attention.json');
const layerCases = cases.filter((c) => c.module === 'TransformerEncoderLayer');

function layerOptions(options: Record<string, unknown>): TransformerEncoderLayerOptions {
  return { ...camelOptions(options, ['d_model', 'nhead']), dtype: 'float64' } as TransformerEncoderLayerOptions;
}

describe('MultiheadAttention and TransformerEncoderLayer match PyTorch 1.13 (float64, within 1e-9)', () => {
  it.each(cases.filter((c) => c.module === 'MultiheadAttention').map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const options = { ...camelOptions(c.options, ['embed_dim', 'num_heads']), dtype: 'float64' } as MultiheadAttentionOptions;
    const mha = new MultiheadAttention(c.options['embed_dim'] as number, c.options['num_heads'] as number, options);
    checkModuleCase(c, mha, (x, args): Record<string, Tensor> => {
      const [attnOutput, attnWeights] = mha.forward(x['query']!, x['key']!, x['value']!, {
        keyPaddingMask: x['key_padding_mask'] ?? null,
        attnMask: x['attn_mask'] ?? null,
        needWeights: args['need_weights'] as boolean,
        averageAttnWeights: args['average_attn_weights'] as boolean,
      });
      return attnWeights ? { attn_output: attnOutput, attn_weights: attnWeights } : { attn_output: attnOutput };
    });
  });

  it.each(layerCases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const layer = new TransformerEncoderLayer(c.options['d_model'] as number, c.options['nhead'] as number, layerOptions(c.options));
    checkModuleCase(c, layer, (x) => ({
      output: layer.forward(x['src']!, { srcMask: x['src_mask'] ?? null, srcKeyPaddingMask: x['src_key_padding_mask'] ?? null }),
    }));
  });
});

describe('TransformerEncoder', () => {
  it('stacks copies of its layer under layers.N and equals applying them in turn, then its norm', () => {
    const c = layerCases.find((k) => k.inputs['src_mask'] && k.options['norm_first'] === true)!;
    const layer = new TransformerEncoderLayer(c.options['d_model'] as number, c.options['nhead'] as number, layerOptions(c.options));
    layer.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, t]) => [k, fromFixture(t)])));
    const norm = new LayerNorm(c.options['d_model'] as number, { dtype: 'float64' });
    const encoder = new TransformerEncoder(layer, 2, { norm });
    const keys = Object.keys(encoder.stateDict());
    expect(keys).toEqual([...Object.keys(c.state).map((k) => `layers.0.${k}`), ...Object.keys(c.state).map((k) => `layers.1.${k}`), 'norm.weight', 'norm.bias']);
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
