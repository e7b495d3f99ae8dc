import { describe, expect, it } from 'vitest';
import {
  AvgPool1d,
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  GroupNorm,
  MaxPool1d,
  avgPool2d,
  checkOptions,
  clipGradNorm_,
  conv2d,
  Conv2d,
  Dropout,
  Embedding,
  embedding,
  Flatten,
  GELU,
  Generator,
  GRU,
  GRUCell,
  LayerNorm,
  LSTM,
  LSTMCell,
  MultiheadAttention,
  TransformerEncoderLayer,
  LeakyReLU,
  Linear,
  LogSoftmax,
  MaxPool2d,
  maxPool2d,
  type Module,
  randn,
  Softmax,
  tensor,
  zeros,
} from '../src/index.js';

const seeded = (): Generator => new Generator(7);

/** Parameters and outputs of two modules built the two ways, for exact comparison. */
function same(a: Module, b: Module, input: () => ReturnType<typeof randn>): void {
  expect(a.namedParameters().map(([name, p]) => [name, p.shape, p.tolist()])).toEqual(
    b.namedParameters().map(([name, p]) => [name, p.shape, p.tolist()]),
  );
  expect(a.forward(input()).tolist()).toEqual(b.forward(input()).tolist());
}

const image = (): ReturnType<typeof randn> => randn([2, 1, 8, 8], { generator: new Generator(3) });

describe("PyTorch's positional arguments give what the options form gives", () => {
  it('new Linear(4, 2, false) has no bias, as new Linear(4, 2, { bias: false })', () => {
    const positional = new Linear(4, 2, false, { generator: seeded() });
    expect(positional.bias).toBeNull();
    same(positional, new Linear(4, 2, { bias: false, generator: seeded() }), () => randn([3, 4], { generator: new Generator(1) }));
  });

  it('new Conv2d(1, 32, 3, 1, 1) pads by 1 (it used to ignore stride and padding)', () => {
    const positional = new Conv2d(1, 32, 3, 1, 1, { generator: seeded() });
    expect(positional.forward(image()).shape).toEqual([2, 32, 8, 8]);
    same(positional, new Conv2d(1, 32, 3, { stride: 1, padding: 1, generator: seeded() }), image);
  });

  it('Conv2d takes PyTorch’s order: stride, padding, dilation, groups, bias', () => {
    const positional = new Conv2d(1, 4, 3, 2, 2, 2, 1, false, { generator: seeded() });
    expect([positional.stride, positional.padding, positional.dilation, positional.bias]).toEqual([[2, 2], [2, 2], [2, 2], null]);
    same(positional, new Conv2d(1, 4, 3, { stride: 2, padding: 2, dilation: 2, bias: false, generator: seeded() }), image);
    expect(new Conv2d(2, 4, 3, 1, 0, 1, 2).weight.shape).toEqual([4, 1, 3, 3]);
  });

  it('MaxPool2d(kernel, stride, padding) and AvgPool2d(kernel, stride, padding, ceilMode, countIncludePad)', () => {
    same(new MaxPool2d(3, 2, 1), new MaxPool2d(3, { stride: 2, padding: 1 }), image);
    expect(new MaxPool2d(3, 2, 1).forward(image()).shape).toEqual([2, 1, 4, 4]);
    same(new AvgPool2d(3, 2, 1, true, false), new AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }), image);
  });

  it('MaxPool1d(kernel, stride, padding, dilation) and AvgPool1d(kernel, stride, padding, ceilMode, countIncludePad)', () => {
    const signal = (): ReturnType<typeof randn> => randn([2, 3, 9], { generator: new Generator(4) });
    same(new MaxPool1d(2, 2), new MaxPool1d(2, { stride: 2 }), signal);
    const dilated = new MaxPool1d(3, 1, 1, 2);
    expect([dilated.stride, dilated.padding, dilated.dilation, dilated.ceilMode]).toEqual([1, 1, 2, false]);
    same(dilated, new MaxPool1d(3, { stride: 1, padding: 1, dilation: 2 }), signal);
    expect(new MaxPool1d(2, 2).forward(signal()).shape).toEqual([2, 3, 4]);
    const avg = new AvgPool1d(3, 1, 1);
    expect([avg.stride, avg.padding, avg.ceilMode, avg.countIncludePad]).toEqual([1, 1, false, true]);
    expect(avg.forward(signal()).shape).toEqual([2, 3, 9]);
    same(avg, new AvgPool1d(3, { stride: 1, padding: 1 }), signal);
    same(new AvgPool1d(3, 2, 1, true, false), new AvgPool1d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }), signal);
    // countIncludePad false at the padded ends: the first window of [x0, x1] with padding 1 averages two values, not three.
    const x = tensor([[[1, 2, 3]]]);
    expect(new AvgPool1d(3, 1, 1, false, false).forward(x).tolist()).toEqual([[[1.5, 2, 2.5]]]);
    expect(new AvgPool1d(3, 1, 1).forward(x).tolist()).toEqual([[[1, 2, Math.fround(5 / 3)]]]);
  });

  it('BatchNorm1d/2d(numFeatures, eps, momentum, affine, trackRunningStats) and GroupNorm(groups, channels, eps, affine)', () => {
    const bn = new BatchNorm2d(16, 1e-3, 0.3);
    expect([bn.eps, bn.momentum, bn.affine, bn.trackRunningStats]).toEqual([1e-3, 0.3, true, true]);
    const cumulative = new BatchNorm1d(4, 1e-5, null, false, false);
    expect([cumulative.momentum, cumulative.weight, cumulative.runningMean]).toEqual([null, null, null]);
    const batch = (): ReturnType<typeof randn> => randn([3, 16, 2, 2], { generator: new Generator(6) });
    same(new BatchNorm2d(16, 1e-3, 0.3), new BatchNorm2d(16, { eps: 1e-3, momentum: 0.3 }), batch);
    // The momentum given positionally is the one the running mean moves by: 0.3 of the batch mean.
    const x = tensor([
      [2, 0],
      [4, 0],
    ]);
    const m = new BatchNorm1d(2, 1e-5, 0.3);
    m.forward(x);
    expect(Array.from(m.runningMean!.data())).toEqual([Math.fround(0.3 * 3), 0]);
    const gn = new GroupNorm(2, 4, 1e-3, false);
    expect([gn.eps, gn.affine, gn.weight]).toEqual([1e-3, false, null]);
    same(new GroupNorm(2, 16, 1e-3), new GroupNorm(2, 16, { eps: 1e-3 }), batch);
  });

  it('LayerNorm(shape, eps, elementwiseAffine, bias)', () => {
    const positional = new LayerNorm(8, 1e-3, true, false);
    expect([positional.eps, positional.weight?.shape, positional.bias]).toEqual([1e-3, [8], null]);
    same(positional, new LayerNorm(8, { eps: 1e-3, bias: false }), () => randn([2, 8], { generator: new Generator(5) }));
  });

  it('Embedding(num, dim, paddingIdx)', () => {
    const positional = new Embedding(5, 3, 0, { generator: seeded() });
    expect(positional.paddingIdx).toBe(0);
    const indices = (): ReturnType<typeof randn> => tensor(Int32Array.from([0, 4, 2]), { dtype: 'int32' });
    same(positional, new Embedding(5, 3, { paddingIdx: 0, generator: seeded() }), indices);
  });

  it('LSTM/GRU(input, hidden, numLayers, bias, batchFirst, dropout, bidirectional) and the cells’ bias', () => {
    const sequence = (): ReturnType<typeof randn> => randn([5, 2, 4], { generator: new Generator(4) });
    const lstm = new LSTM(4, 3, 2, false, false, 0, true, { generator: seeded() });
    expect([lstm.numLayers, lstm.bias, lstm.bidirectional]).toEqual([2, false, true]);
    const lstmOut = (m: LSTM): unknown => m.forward(sequence())[0].tolist();
    expect(lstmOut(lstm)).toEqual(lstmOut(new LSTM(4, 3, { numLayers: 2, bias: false, bidirectional: true, generator: seeded() })));
    const gruOut = (m: GRU): unknown => m.forward(sequence())[0].tolist();
    expect(gruOut(new GRU(4, 3, 2, { generator: seeded() }))).toEqual(gruOut(new GRU(4, 3, { numLayers: 2, generator: seeded() })));
    expect(new LSTMCell(4, 3, false).namedParameters().map(([name]) => name)).toEqual(['weight_ih', 'weight_hh']);
    expect(new GRUCell(4, 3, false).namedParameters().map(([name]) => name)).toEqual(['weight_ih', 'weight_hh']);
    expect(() => new LSTM(4, 3, { num_layers: 2 } as never)).toThrowError("LSTM: unknown option 'num_layers' (did you mean 'numLayers'?)");
  });

  it('MultiheadAttention(embed, heads, dropout, bias) and TransformerEncoderLayer(d, heads, dimFeedforward, dropout, …)', () => {
    const seq = (): ReturnType<typeof randn> => randn([3, 2, 8], { generator: new Generator(6) });
    const attend = (m: MultiheadAttention): unknown => m.forward(seq(), seq(), seq())[0].tolist();
    const mha = new MultiheadAttention(8, 2, 0, false, { generator: seeded() });
    expect(attend(mha)).toEqual(attend(new MultiheadAttention(8, 2, { dropout: 0, bias: false, generator: seeded() })));
    const layer = new TransformerEncoderLayer(8, 2, 16, 0, 'gelu', { generator: seeded() });
    const reference = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0, activation: 'gelu', generator: seeded() });
    expect(layer.forward(seq()).tolist()).toEqual(reference.forward(seq()).tolist());
    expect(() => new TransformerEncoderLayer(8, 2, { dim_feedforward: 16 } as never)).toThrowError(
      "TransformerEncoderLayer: unknown option 'dim_feedforward' (did you mean 'dimFeedforward'?)",
    );
  });

  it('Dropout(p), LeakyReLU(slope), GELU(approximate), Softmax(dim), Flatten(start, end): positional or options', () => {
    expect(new Dropout(0.2).p).toBe(0.2);
    expect(new Dropout({ p: 0.2 }).p).toBe(0.2);
    expect(new LeakyReLU({ negativeSlope: 0.2 }).negativeSlope).toBe(new LeakyReLU(0.2).negativeSlope);
    same(new GELU('tanh'), new GELU({ approximate: 'tanh' }), () => randn([4], { generator: new Generator(2) }));
    same(new Softmax(0), new Softmax({ dim: 0 }), () => randn([3, 2], { generator: new Generator(2) }));
    same(new LogSoftmax(1), new LogSoftmax({ dim: 1 }), () => randn([3, 2], { generator: new Generator(2) }));
    expect(new Flatten(0, 1).forward(zeros([2, 3, 4])).shape).toEqual([6, 4]);
    expect(new Flatten({ startDim: 0, endDim: 1 }).forward(zeros([2, 3, 4])).shape).toEqual([6, 4]);
  });
});

describe('a value where it does not belong throws instead of being ignored', () => {
  it('snake_case and typos name the camelCase key and the known ones', () => {
    expect(() => new Conv2d(1, 32, 3, { padding_mode: 'zeros' } as never)).toThrowError(
      "Conv2d: unknown option 'padding_mode'; known options: stride, padding, dilation, groups, bias, dtype, generator",
    );
    expect(() => new Embedding(5, 3, { padding_idx: 0 } as never)).toThrowError(
      "Embedding: unknown option 'padding_idx' (did you mean 'paddingIdx'?)",
    );
    expect(() => new LayerNorm(4, { elementwise_affine: false } as never)).toThrowError(
      "LayerNorm: unknown option 'elementwise_affine' (did you mean 'elementwiseAffine'?)",
    );
    expect(() => new MaxPool2d(2, { ceil_mode: true } as never)).toThrowError(
      "MaxPool2d: unknown option 'ceil_mode' (did you mean 'ceilMode'?)",
    );
    expect(() => new Linear(4, 2, { baias: false } as never)).toThrowError("Linear: unknown option 'baias' (did you mean 'bias'?)");
  });

  it('too many positional values, a value given twice, a flag that is not a boolean, an options object not last', () => {
    expect(() => new Linear(4, 2, false, true as never)).toThrowError(
      'Linear: takes at most 1 arguments after the required ones (bias), then an options object; got 2',
    );
    expect(() => new Conv2d(1, 2, 3, 1, 1, { padding: 2 })).toThrowError(
      'Conv2d: padding was given twice, as an argument and in the options',
    );
    expect(() => new Linear(4, 2, 0 as never)).toThrowError('Linear: bias must be true or false, got 0');
    expect(() => new Conv2d(1, 2, 3, { stride: 2 } as never, 1 as never)).toThrowError(
      'Conv2d: an options object must be the last argument, but got one in the place of stride',
    );
    expect(() => new MaxPool2d(2, 2, 0, 1 as never)).toThrowError('MaxPool2d: takes at most 2 arguments');
    expect(() => new MaxPool1d(2, 2, 0, 1, true as never)).toThrowError('MaxPool1d: takes at most 3 arguments');
    expect(() => new AvgPool1d(3, 1, 1, 1 as never)).toThrowError('AvgPool1d: ceilMode must be true or false, got 1');
    expect(() => new BatchNorm2d(16, 1e-5, 0.1, { momentum: 0.2 })).toThrowError('BatchNorm2d: momentum was given twice');
    expect(() => new BatchNorm1d(4, 1e-5, 0.1, 'yes' as never)).toThrowError('BatchNorm1d: affine must be true or false');
    expect(() => new BatchNorm1d(4, { track_running_stats: false } as never)).toThrowError(
      "BatchNorm1d: unknown option 'track_running_stats' (did you mean 'trackRunningStats'?)",
    );
    expect(() => new GroupNorm(2, 4, 1e-5, true, 1 as never)).toThrowError('GroupNorm: takes at most 2 arguments');
    expect(() => new Softmax()).toThrowError('Softmax: needs the dim to normalise along');
  });

  it('ops and helpers check their options objects too', () => {
    const x = image();
    const w = randn([2, 1, 3, 3]);
    expect(() => conv2d(x, w, null, { pading: 1 } as never)).toThrowError("conv2d: unknown option 'pading' (did you mean 'padding'?)");
    expect(() => maxPool2d(x, { kernelSize: 2, ceil_mode: true } as never)).toThrowError(
      "maxPool2d: unknown option 'ceil_mode' (did you mean 'ceilMode'?)",
    );
    expect(() => avgPool2d(x, { kernelSize: 2, count_include_pad: false } as never)).toThrowError(
      "avgPool2d: unknown option 'count_include_pad' (did you mean 'countIncludePad'?)",
    );
    const table = randn([4, 2]);
    expect(() => embedding(tensor(Int32Array.from([1]), { dtype: 'int32' }), table, { padding_idx: 0 } as never)).toThrowError(
      "embedding: unknown option 'padding_idx' (did you mean 'paddingIdx'?)",
    );
    expect(() => zeros([2], { requires_grad: true } as never)).toThrowError(
      "zeros: unknown option 'requires_grad' (did you mean 'requiresGrad'?)",
    );
    expect(() => randn([2], { seed: 1 } as never)).toThrowError(
      "randn: unknown option 'seed'; known options: dtype, requiresGrad, generator",
    );
    expect(() => tensor([1, 2], { dtyp: 'float64' } as never)).toThrowError("tensor: unknown option 'dtyp' (did you mean 'dtype'?)");
    expect(() => x.var(0, { unbiased: false } as never)).toThrowError("var: unknown option 'unbiased'; known options: correction, keepdim");
    expect(() => clipGradNorm_([], 1, 2, { error_if_nonfinite: true } as never)).toThrowError(
      "clipGradNorm_: unknown option 'error_if_nonfinite' (did you mean 'errorIfNonfinite'?)",
    );
    const lin = new Linear(2, 2);
    expect(() => lin.zeroGrad({ setToNone: false } as never)).toThrowError(
      'Module.zeroGrad: setToNone must be true or false, got an object',
    );
    expect(() => lin.loadStateDict(lin.stateDict(), { strict: 'no' } as never)).toThrowError(
      'Module.loadStateDict: strict must be true or false',
    );
  });

  it('checkOptions names the owner and refuses a non-object', () => {
    expect(() => checkOptions('Thing', 3, ['a', 'b'])).toThrowError('Thing: options must be an object of a, b, but got 3');
    expect(() => checkOptions('Thing', { c: 1 }, [])).toThrowError("Thing: unknown option 'c'; it takes no options");
  });
});
