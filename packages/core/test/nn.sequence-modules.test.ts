import { describe, expect, it } from 'vitest';
import {
  GRU,
  GRUCell,
  Generator,
  LSTM,
  LSTMCell,
  MultiheadAttention,
  TransformerEncoderLayer,
  noGrad,
  randn,
  squeeze,
  tensor,
  unsqueeze,
} from '../src/index.js';

const f64 = { dtype: 'float64' } as const;

describe('recurrent modules', () => {
  it('LSTMCell and GRUCell step as one time step of LSTM and GRU with the same weights', () => {
    const lstm = new LSTM(3, 4, f64);
    const cell = new LSTMCell(3, 4, f64);
    cell.loadStateDict({
      weight_ih: lstm.weight_ih_l0!,
      weight_hh: lstm.weight_hh_l0!,
      bias_ih: lstm.bias_ih_l0!,
      bias_hh: lstm.bias_hh_l0!,
    });
    const x = randn([2, 3], f64);
    const [h0, c0] = [randn([1, 2, 4], f64), randn([1, 2, 4], f64)];
    noGrad(() => {
      const [, [hN, cN]] = lstm.forward(unsqueeze(x, 0), [h0, c0]);
      const [h, c] = cell.forward(x, [squeeze(h0, 0), squeeze(c0, 0)]);
      expect(h.toArray()).toEqual(squeeze(hN, 0).toArray());
      expect(c.toArray()).toEqual(squeeze(cN, 0).toArray());
    });
    const gru = new GRU(3, 4, f64);
    const gcell = new GRUCell(3, 4, f64);
    gcell.loadStateDict({ weight_ih: gru.weight_ih_l0!, weight_hh: gru.weight_hh_l0!, bias_ih: gru.bias_ih_l0!, bias_hh: gru.bias_hh_l0! });
    noGrad(() => {
      const [, hN] = gru.forward(unsqueeze(x, 0), h0);
      expect(gcell.forward(x, squeeze(h0, 0)).toArray()).toEqual(squeeze(hN, 0).toArray());
    });
  });

  it('an unbatched [T, I] input gives what the batch of one gives', () => {
    const gru = new GRU(2, 3, { ...f64, numLayers: 2, bidirectional: true });
    const x = randn([5, 2], f64);
    noGrad(() => {
      const [out, h] = gru.forward(x);
      const [outB, hB] = gru.forward(unsqueeze(x, 1));
      expect(out.shape).toEqual([5, 6]);
      expect(h.shape).toEqual([4, 3]);
      expect(out.toArray()).toEqual(outB.toArray());
      expect(h.toArray()).toEqual(hB.toArray());
    });
  });

  it("initialises every parameter in U(−1/√H, 1/√H) under PyTorch's names", () => {
    const lstm = new LSTM(3, 16, { numLayers: 2, bidirectional: true, bias: false });
    expect(lstm.namedParameters().map(([k]) => k)).toEqual([
      'weight_ih_l0',
      'weight_hh_l0',
      'weight_ih_l0_reverse',
      'weight_hh_l0_reverse',
      'weight_ih_l1',
      'weight_hh_l1',
      'weight_ih_l1_reverse',
      'weight_hh_l1_reverse',
    ]);
    expect(lstm.weight_ih_l1!.shape).toEqual([64, 32]);
    const values = lstm.parameters().flatMap((p) => Array.from(p.data()));
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(0.25);
    expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(0.2);
  });

  it('drops out between layers in training only, from its seeded generator', () => {
    const lstm = new LSTM(2, 3, { numLayers: 2, dropout: 0.5, generator: new Generator(1) });
    const x = randn([4, 2, 2]);
    noGrad(() => {
      lstm.generator = new Generator(7);
      const a = lstm.forward(x)[0].toArray();
      lstm.generator = new Generator(7);
      expect(lstm.forward(x)[0].toArray()).toEqual(a);
      lstm.eval();
      expect(lstm.forward(x)[0].toArray()).not.toEqual(a);
    });
  });

  it('refuses unknown options, bad sizes and states of the wrong shape, naming them', () => {
    expect(() => new LSTM(3, 4, { num_layers: 2 } as never)).toThrow("LSTM: unknown option 'num_layers' (did you mean 'numLayers'?)");
    expect(() => new GRU(3, 0)).toThrow('GRU: hiddenSize must be a positive integer, got 0');
    expect(() => new LSTM(3, 4).forward(randn([2, 1, 5]))).toThrow('LSTM: input.size(-1) must be equal to input_size. Expected 3, got 5');
    expect(() => new GRU(3, 4).forward(randn([2, 1, 3]), randn([1, 2, 4]))).toThrow(
      'GRU: expected hidden state h0 of size [1,1,4], got [1,2,4]',
    );
  });
});

describe('attention modules', () => {
  it('MultiheadAttention: PyTorch init (xavier in_proj, zero biases), an unbatched input, per-head weights', () => {
    const mha = new MultiheadAttention(8, 2, f64);
    expect(mha.in_proj_bias!.toArray().every((v) => v === 0)).toBe(true);
    expect(mha.out_proj.bias!.toArray().every((v) => v === 0)).toBe(true);
    const bound = Math.sqrt(6 / (8 + 24));
    expect(mha.in_proj_weight!.toArray().every((v) => Math.abs(v) <= bound)).toBe(true);
    const x = randn([3, 8], f64);
    noGrad(() => {
      const [out, w] = mha.forward(x, x, x, { averageAttnWeights: false });
      const [outB, wB] = mha.forward(unsqueeze(x, 1), unsqueeze(x, 1), unsqueeze(x, 1), { averageAttnWeights: false });
      expect(out.shape).toEqual([3, 8]);
      expect(w!.shape).toEqual([2, 3, 3]);
      expect(out.toArray()).toEqual(outB.toArray());
      expect(w!.toArray()).toEqual(wB!.toArray());
    });
  });

  it('refuses unknown options and masks of the wrong shape', () => {
    expect(() => new MultiheadAttention(8, 3)).toThrow('MultiheadAttention: embed_dim (8) must be divisible by num_heads (3)');
    expect(() => new MultiheadAttention(8, 2, { batch_first: true } as never)).toThrow("did you mean 'batchFirst'?");
    const mha = new MultiheadAttention(4, 1);
    const x = randn([3, 2, 4]);
    expect(() => mha.forward(x, x, x, { attnMask: tensor([[true, false]]) })).toThrow(
      'MultiheadAttention: attnMask should be [3,3] or [2,3,3], got [1,2]',
    );
    expect(() => mha.forward(x, x, x, { need_weights: false } as never)).toThrow("did you mean 'needWeights'?");
    expect(() => new TransformerEncoderLayer(4, 2, { activation: 'tanh' as 'relu' })).toThrow(
      "activation should be 'relu', 'gelu' or a function, not the string \"tanh\"",
    );
  });
});
