import { backward, Embedding, mul, RowSparseTensor, sum, type Tensor, tensor } from '@loom/core';
import { describe, expect, it } from 'vitest';
import { Adagrad, Adam, SGD, SparseAdam } from '../src/index.js';

/** An Embedding(10, 3) with a row-sparse weight gradient from looking up rows 1, 4, 1. */
function sparseEmbedding(): { weight: Tensor; initial: Float64Array } {
  const emb = new Embedding(10, 3, { sparse: true, dtype: 'float64' });
  const out = emb.forward(tensor(Int32Array.of(1, 4, 1), { shape: [3] }));
  backward(sum(mul(out, out)));
  return { weight: emb.weight, initial: Float64Array.from(emb.weight.toArray()) };
}

/** The same parameter values with the gradient made dense. */
function denseTwin(weight: Tensor, initial: Float64Array): Tensor {
  const twin = tensor(Float64Array.from(initial), { shape: weight.shape, dtype: 'float64', requiresGrad: true });
  twin.grad = (weight.grad as RowSparseTensor).toDense();
  return twin;
}

function changedRows(weight: Tensor, initial: Float64Array): number[] {
  const now = weight.toArray();
  return Array.from({ length: 10 }, (_, r) => r).filter((r) => [0, 1, 2].some((j) => now[r * 3 + j] !== initial[r * 3 + j]));
}

describe('row-sparse gradients from Embedding({ sparse: true })', () => {
  it('SparseAdam updates only the rows looked up, by its hand-computed first step', () => {
    const { weight, initial } = sparseEmbedding();
    const g = (weight.grad as RowSparseTensor).toDense().toArray();
    new SparseAdam([weight], { lr: 0.1 }).step();
    expect(changedRows(weight, initial)).toEqual([1, 4]);
    const [lr, beta1, beta2, eps] = [0.1, 0.9, 0.999, 1e-8];
    const now = weight.toArray();
    for (const i of [3, 4, 5, 12, 13, 14]) {
      const m = g[i]! * (1 - beta1);
      const v = g[i]! * g[i]! * (1 - beta2);
      const expected = initial[i]! - ((lr * Math.sqrt(1 - beta2)) / (1 - beta1)) * (m / (Math.sqrt(v) + eps));
      expect(Math.abs(now[i]! - expected)).toBeLessThanOrEqual(1e-15 * Math.abs(expected));
    }
  });

  it('zeroGrad({ setToNone: false }) leaves a sparse gradient with no rows, which moves nothing', () => {
    const { weight } = sparseEmbedding();
    const opt = new SparseAdam([weight]);
    opt.zeroGrad({ setToNone: false });
    expect((weight.grad as RowSparseTensor).indices.length).toBe(0);
    const before = weight.toArray();
    opt.step();
    expect(weight.toArray()).toEqual(before);
    expect(opt.state.get(weight)!.step).toBe(1);
  });

  it('Adagrad updates only those rows, as its dense update would', () => {
    const { weight, initial } = sparseEmbedding();
    const twin = denseTwin(weight, initial);
    new Adagrad([weight], { lr: 0.1 }).step();
    new Adagrad([twin], { lr: 0.1 }).step();
    expect(changedRows(weight, initial)).toEqual([1, 4]);
    const [a, b] = [weight.toArray(), twin.toArray()];
    a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThanOrEqual(1e-15 * Math.abs(b[i]!)));
  });

  it('Adagrad refuses weight decay with sparse gradients, as PyTorch', () => {
    const { weight } = sparseEmbedding();
    expect(() => new Adagrad([weight], { weightDecay: 0.1 }).step()).toThrowError(
      'weight_decay option is not compatible with sparse gradients',
    );
  });

  it('SGD with momentum gives exactly the dense result', () => {
    const { weight, initial } = sparseEmbedding();
    const twin = denseTwin(weight, initial);
    new SGD([weight], { lr: 0.1, momentum: 0.9 }).step();
    new SGD([twin], { lr: 0.1, momentum: 0.9 }).step();
    expect(weight.toArray()).toEqual(twin.toArray());
  });

  it('Adam refuses them with PyTorch message', () => {
    const { weight } = sparseEmbedding();
    expect(() => new Adam([weight]).step()).toThrowError('Adam does not support sparse gradients, please consider SparseAdam instead');
  });
});
