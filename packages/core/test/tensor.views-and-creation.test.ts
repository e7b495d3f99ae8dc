import { describe, expect, it } from 'vitest';
import { arange, eye, full, noGrad, ones, tensor, zeros } from '../src/index.js';

describe('creation', () => {
  it('builds tensors of each dtype from nested arrays, typed arrays and numbers', () => {
    expect(
      tensor([
        [1, 2],
        [3, 4],
      ]).shape,
    ).toEqual([2, 2]);
    expect(tensor([true, false]).dtype).toBe('bool');
    expect(tensor(Int32Array.from([1, 2])).dtype).toBe('int32');
    expect(tensor(3.5, { dtype: 'float64' }).item()).toBe(3.5);
    expect(tensor([1.7, -1.7], { dtype: 'int32' }).tolist()).toEqual([1, -1]);
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged/);
    expect(() => tensor([1, 2], { requiresGrad: true, dtype: 'int32' })).toThrow(/floating-point/);
  });

  it('zeros, ones, full, arange and eye', () => {
    expect(zeros([2]).tolist()).toEqual([0, 0]);
    expect(ones([1, 2]).tolist()).toEqual([[1, 1]]);
    expect(full([2], 7, { dtype: 'int32' }).tolist()).toEqual([7, 7]);
    expect(arange(5).tolist()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(1, 2, 0.25).tolist()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(eye(2, 3).tolist()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });
});

describe('views share storage and never copy', () => {
  const x = () => arange(24, undefined, 1, { dtype: 'float64' }).reshape(2, 3, 4);

  it('reshape/view, transpose, permute, narrow, squeeze, unsqueeze, expand', () => {
    const t = x();
    expect(t.view(6, 4).storage).toBe(t.storage);
    expect(t.view(-1, 4).shape).toEqual([6, 4]);
    const p = t.permute(2, 0, 1);
    expect(p.storage).toBe(t.storage);
    expect(p.shape).toEqual([4, 2, 3]);
    expect(p.isContiguous()).toBe(false);
    expect((p.tolist() as number[][][])[1]![0]).toEqual([1, 5, 9]);
    expect(t.transpose(0, 2).contiguous().isContiguous()).toBe(true);
    expect(t.narrow(2, 1, 2).tolist()).toEqual([
      [
        [1, 2],
        [5, 6],
        [9, 10],
      ],
      [
        [13, 14],
        [17, 18],
        [21, 22],
      ],
    ]);
    expect(t.unsqueeze(1).shape).toEqual([2, 1, 3, 4]);
    expect(t.unsqueeze(1).squeeze(1).shape).toEqual([2, 3, 4]);
    const e = tensor([[1], [2]]).expand(2, 3);
    expect(e.strides).toEqual([1, 0]);
    expect(e.tolist()).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect(() => t.permute(0, 1).shape).toThrow(/number of dims/);
    expect(() => t.transpose(0, 2).view(24)).toThrow(/not contiguous/);
    expect(t.transpose(0, 2).reshape(24).numel).toBe(24);
  });

  it('a write through a view is seen by the base tensor', () => {
    const t = x();
    t.narrow(0, 1, 1).data()[0] = -1;
    expect(t.tolist() as number[][][]).toSatisfy((v: number[][][]) => v[1]![0]![0] === -1);
  });

  it('autograd switches: noGrad, detach, requiresGrad_', () => {
    const w = ones([2], { requiresGrad: true });
    expect(noGrad(() => w.mul(2)).requiresGrad).toBe(false);
    expect(w.mul(2).detach().requiresGrad).toBe(false);
    expect(w.mul(2).requiresGrad).toBe(true);
    const y = zeros([2]).requiresGrad_();
    y.sum().backward();
    expect(y.grad?.tolist()).toEqual([1, 1]);
    expect(() => w.mul(2).requiresGrad_()).toThrow(/only leaf tensors/);
  });
});
