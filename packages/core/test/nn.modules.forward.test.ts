import { describe, expect, it } from 'vitest';
import {
  AvgPool2d,
  Conv2d,
  Dropout,
  Embedding,
  Flatten,
  GELU,
  Generator,
  LayerNorm,
  LeakyReLU,
  Linear,
  LogSoftmax,
  MaxPool2d,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  Tanh,
  gelu,
  leakyRelu,
  logSoftmax,
  ones,
  randn,
  relu,
  sigmoid,
  softmax,
  tanh,
  tensor,
} from '../src/index.js';

describe('nn modules wrap their ops', () => {
  it('activation modules compute what their ops compute', () => {
    const x = randn([3, 4]);
    expect(new ReLU().forward(x).tolist()).toEqual(relu(x).tolist());
    expect(new LeakyReLU({ negativeSlope: 0.2 }).forward(x).tolist()).toEqual(leakyRelu(x, 0.2).tolist());
    expect(new GELU({ approximate: 'tanh' }).forward(x).tolist()).toEqual(gelu(x, 'tanh').tolist());
    expect(new GELU().forward(x).tolist()).toEqual(gelu(x, 'none').tolist());
    expect(new Tanh().forward(x).tolist()).toEqual(tanh(x).tolist());
    expect(new Sigmoid().forward(x).tolist()).toEqual(sigmoid(x).tolist());
    expect(new Softmax(0).forward(x).tolist()).toEqual(softmax(x, 0).tolist());
    expect(new LogSoftmax(-1).forward(x).tolist()).toEqual(logSoftmax(x, -1).tolist());
    expect(() => new GELU({ approximate: 'erf' as 'none' })).toThrow("GELU: approximate must be 'none' or 'tanh', got the string \"erf\"");
  });

  it('Dropout is the identity in eval mode and reproducible from its generator in training mode', () => {
    const x = ones([4, 50]);
    const drop = new Dropout(0.5);
    drop.eval();
    expect(drop.forward(x).tolist()).toEqual(x.tolist());
    drop.train();
    drop.generator = new Generator(3);
    const a = drop.forward(x).toArray();
    drop.generator = new Generator(3);
    expect(drop.forward(x).toArray()).toEqual(a);
    expect(new Set(a)).toEqual(new Set([0, 2]));
    expect(() => new Dropout(1.5)).toThrow('Dropout: dropout probability has to be between 0 and 1, but got 1.5');
  });

  it('a small CNN runs forward and backward to every parameter', () => {
    const net = new Sequential(
      new Conv2d(1, 4, 3, { padding: 1 }),
      new ReLU(),
      new MaxPool2d(2),
      new Conv2d(4, 2, [2, 2]),
      new AvgPool2d(1),
      new Flatten(),
      new Linear(2 * 3 * 3, 3),
    );
    const out = net.forward(randn([2, 1, 8, 8]));
    expect(out.shape).toEqual([2, 3]);
    out.sum().backward();
    expect(net.parameters().map((p) => p.grad?.shape)).toEqual(net.parameters().map((p) => p.shape));
    expect(Object.keys(net.stateDict())).toEqual(['0.weight', '0.bias', '3.weight', '3.bias', '6.weight', '6.bias']);
  });

  it('Embedding looks rows up and keeps the padding row out of the gradient', () => {
    const emb = new Embedding(4, 2, { paddingIdx: 0 });
    const ids = tensor(
      [
        [0, 2],
        [2, 3],
      ],
      { dtype: 'int32' },
    );
    const out = emb.forward(ids);
    expect(out.shape).toEqual([2, 2, 2]);
    expect(out.narrow(0, 0, 1).narrow(1, 0, 1).tolist()).toEqual([[[0, 0]]]);
    out.sum().backward();
    expect(emb.weight.grad!.tolist()).toEqual([
      [0, 0],
      [0, 0],
      [2, 2],
      [1, 1],
    ]);
    expect(() => new Embedding(4, 2, { paddingIdx: 4 })).toThrow('Embedding: paddingIdx must be within num_embeddings (4), got 4');
  });

  it('LayerNorm normalises the last dims', () => {
    const y = new LayerNorm(4, { eps: 0 }).forward(tensor([[1, 2, 3, 4]], { dtype: 'float32' }));
    const s = Math.sqrt(1.25);
    const expected = [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s];
    (y.tolist() as number[][])[0]!.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
  });

  it('Linear refuses impossible sizes', () => {
    expect(() => new Linear(2.5, 3)).toThrow('Linear: sizes must be non-negative integers, got 2.5, 3');
  });
});
