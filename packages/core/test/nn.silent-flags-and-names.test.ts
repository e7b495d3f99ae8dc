import { describe, expect, it } from 'vitest';
import { BatchNorm1d, GRU, GRUCell, Linear, LSTM, LSTMCell, RowSparseTensor, Sequential, tensor } from '../src/index.js';

describe('flags given positionally or as options are booleans, never truthy strings', () => {
  it('LSTM, GRU (bias, batchFirst, bidirectional) and the cells (bias) refuse a non-boolean', () => {
    const truthy = 'no' as unknown as boolean;
    expect(() => new LSTM(3, 4, 1, truthy)).toThrow('LSTM: bias must be true or false, got the string "no"');
    expect(() => new GRU(3, 4, { batchFirst: truthy })).toThrow('GRU: batchFirst must be true or false, got the string "no"');
    expect(() => new LSTM(3, 4, { bidirectional: 1 as unknown as boolean })).toThrow('LSTM: bidirectional must be true or false, got 1');
    expect(() => new LSTMCell(3, 4, truthy)).toThrow('LSTMCell: bias must be true or false, got the string "no"');
    expect(() => new GRUCell(3, 4, { bias: truthy })).toThrow('GRUCell: bias must be true or false, got the string "no"');
    // The booleans still work, as in PyTorch: no bias parameters, two directions.
    expect(new LSTM(3, 4, 1, false).namedParameters().map(([n]) => n)).toEqual(['weight_ih_l0', 'weight_hh_l0']);
    expect(new GRU(3, 4, { bidirectional: true }).namedParameters()).toHaveLength(8);
    expect(new GRUCell(3, 4, false).bias_ih).toBeNull();
  });
});

describe("names with a prefix, as PyTorch's named_parameters(prefix='model')", () => {
  const model = new Sequential(new Linear(2, 3), new BatchNorm1d(3));
  it("'model' gives model.0.weight, and a prefix with its trailing dot is taken as it is", () => {
    const expected = ['model.0.weight', 'model.0.bias', 'model.1.weight', 'model.1.bias'];
    expect(model.namedParameters('model').map(([n]) => n)).toEqual(expected);
    expect(model.namedParameters('model.').map(([n]) => n)).toEqual(expected);
    expect(model.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
    expect(model.namedBuffers('model').map(([n]) => n)).toEqual([
      'model.1.running_mean',
      'model.1.running_var',
      'model.1.num_batches_tracked',
    ]);
  });
});

describe('backward takes its gradient once', () => {
  it('a gradient as argument and another as options.gradient throws instead of ignoring one', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(3);
    expect(() => y.backward(tensor([1, 1]), { gradient: tensor([5, 5]) })).toThrow(
      'backward: the gradient is given twice, as an argument and as options.gradient: pass it once',
    );
    y.backward(tensor([1, 2]));
    expect(Array.from(x.grad!.data())).toEqual([3, 6]);
  });
});

describe('a row-sparse gradient adds only what has its shape and dtype', () => {
  it('refuses a dense or sparse tensor of another shape or dtype, and adds a matching one', () => {
    const sparse = new RowSparseTensor(Int32Array.from([1]), tensor([[2, 3]]), [3, 2]);
    expect(() => sparse.accumulate(tensor([[1, 1]]))).toThrow(
      'RowSparseTensor.accumulate: cannot add a float32 tensor of shape [1,2] to a float32 gradient of shape [3,2]',
    );
    expect(() =>
      sparse.accumulate(
        tensor(
          [
            [1, 1],
            [1, 1],
            [1, 1],
          ],
          { dtype: 'float64' },
        ),
      ),
    ).toThrow(/a float64 tensor of shape \[3,2\]/);
    expect(() => sparse.accumulate(new RowSparseTensor(Int32Array.from([0]), tensor([[1, 1, 1]]), [3, 3]))).toThrow(/shape \[3,3\]/);
    const sum = sparse.accumulate(
      tensor([
        [1, 1],
        [1, 1],
        [1, 1],
      ]),
    );
    expect(Array.from(sum.data())).toEqual([1, 1, 3, 4, 1, 1]);
  });
});
