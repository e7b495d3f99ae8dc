import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { arange, linspace, mul, ones, setPrintOptions, tensor, TO_JSON_MAX_ELEMENTS, zeros } from '../src/index.js';

// Expected strings are what PyTorch 2.x prints for the same values (torch/_tensor_str.py), with
// Loom's dtype names and without the '0' overload suffix of grad_fn names.
describe('tensors print as PyTorch prints them', () => {
  afterEach(() => setPrintOptions({ profile: 'default' }));

  it('fixed point with 4 decimals, right-aligned to one width', () => {
    expect(String(tensor([1.5, 2.25, -3.125]))).toBe('tensor([ 1.5000,  2.2500, -3.1250])');
    expect(String(tensor(3.5))).toBe('tensor(3.5000)');
  });

  it('integral floats print with a trailing dot; ints plain, with their dtype', () => {
    expect(String(tensor([1, 2, 10]))).toBe('tensor([ 1.,  2., 10.])');
    expect(String(tensor(2))).toBe('tensor(2.)');
    expect(String(tensor(Int32Array.from([1, -20, 3])))).toBe('tensor([  1, -20,   3], dtype=int32)');
    expect(String(tensor([true, false]))).toBe('tensor([ True, False])');
  });

  it('scientific when magnitudes span more than 1000× or leave [1e-4, 1e8]', () => {
    expect(String(tensor([1e-5, 1]))).toBe('tensor([1.0000e-05, 1.0000e+00])');
    expect(String(tensor([123456789, 1]))).toBe('tensor([1.2346e+08, 1.0000e+00])');
    expect(String(tensor([0.001, 1]))).toBe('tensor([0.0010, 1.0000])');
  });

  it('nan and inf keep the width of the finite values', () => {
    expect(String(tensor([Number.NaN, 1.5, Number.POSITIVE_INFINITY]))).toBe('tensor([   nan, 1.5000,    inf])');
  });

  it('rows wrap at 80 columns', () => {
    expect(String(linspace(0, 1, 20))).toBe(
      'tensor([0.0000, 0.0526, 0.1053, 0.1579, 0.2105, 0.2632, 0.3158, 0.3684, 0.4211,\n' +
        '        0.4737, 0.5263, 0.5789, 0.6316, 0.6842, 0.7368, 0.7895, 0.8421, 0.8947,\n' +
        '        0.9474, 1.0000])',
    );
  });

  it('nested dims: one row per line, a blank line between matrices', () => {
    expect(
      String(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toBe('tensor([[1., 2.],\n        [3., 4.]])');
    expect(String(zeros([2, 1, 2]))).toBe('tensor([[[0., 0.]],\n\n        [[0., 0.]]])');
  });

  it('summarises past 1,000 elements with the edge items and ...', () => {
    expect(String(arange(1001))).toBe('tensor([   0.,    1.,    2.,  ...,  998.,  999., 1000.])');
    expect(String(arange(1000))).toContain('999.])');
    expect(String(arange(1000))).not.toContain('...');
    const row = '[1., 1., 1.,  ..., 1., 1., 1.]';
    const big = String(ones([1000, 1000]));
    expect(big).toBe(`tensor([${row},\n${`        ${row},\n`.repeat(2)}        ...,\n${`        ${row},\n`.repeat(2)}        ${row}])`);
    expect(String(arange(2000))).toBe('tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])');
  });

  it('notes dtype (unless float32), grad_fn and requires_grad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(String(x)).toBe('tensor([1., 2.], requires_grad=True)');
    expect(String(mul(x, 1))).toBe('tensor([1., 2.], grad_fn=<MulBackward>)');
    expect(String(tensor([0.5, 0.25], { dtype: 'float64' }))).toBe('tensor([0.5000, 0.2500], dtype=float64)');
    expect(String(zeros([0, 3]))).toBe('tensor([], size=(0, 3))');
    expect(String(zeros([0]))).toBe('tensor([])');
  });

  it('util.inspect and console.log show the same text, not the allocator', () => {
    const x = tensor([[1.5, 2]]);
    expect(inspect(x)).toBe(String(x));
    expect(inspect({ loss: tensor(0.25) })).toBe('{ loss: tensor(0.2500) }');
  });

  it('setPrintOptions changes precision and threshold, and rejects unknown keys', () => {
    setPrintOptions({ precision: 2 });
    expect(String(tensor([1.2345]))).toBe('tensor([1.23])');
    setPrintOptions({ threshold: 4, edgeitems: 1 });
    expect(String(arange(5))).toBe('tensor([0.,  ..., 4.])');
    expect(() => setPrintOptions({ line_width: 100 } as never)).toThrow(/unknown option 'line_width'/);
  });
});

describe('toJSON', () => {
  it('gives numbers and nested arrays, so JSON.stringify writes values', () => {
    expect(JSON.stringify({ loss: tensor(0.5) })).toBe('{"loss":0.5}');
    expect(
      JSON.stringify(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toBe('[[1,2],[3,4]]');
    expect(JSON.stringify(tensor([true]))).toBe('[true]');
  });

  it(`throws at once past ${TO_JSON_MAX_ELEMENTS} elements, naming what to do`, () => {
    expect(TO_JSON_MAX_ELEMENTS).toBe(100_000);
    expect(() => JSON.stringify({ w: zeros([1000, 1000]) })).toThrow(
      /shape \[1000,1000\] has 1000000 elements.*call tolist\(\) explicitly/,
    );
    expect(JSON.stringify(zeros([TO_JSON_MAX_ELEMENTS])).length).toBe(2 * TO_JSON_MAX_ELEMENTS + 1);
  });
});
