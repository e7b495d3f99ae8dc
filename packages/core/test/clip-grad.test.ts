import { describe, expect, it } from 'vitest';
import { Parameter, RowSparseTensor, clipGradNorm_, clipGradValue_, tensor, zeros } from '../src/index.js';

function param(values: number[][], grad: number[][] | null): Parameter {
  const p = new Parameter(tensor(values, { dtype: 'float64' }));
  p.grad = grad && tensor(grad, { dtype: 'float64' });
  return p;
}

/** Two parameters with gradients [3, 4] and [0, 12] (2-norm 13, 1-norm 19, ∞-norm 12) and one without. */
function params(): Parameter[] {
  return [param([[1, 1]], [[3, 4]]), param([[1, 1]], [[0, -12]]), param([[1]], null)];
}

describe('clipGradNorm_', () => {
  it('returns the 2-norm of all gradients together and scales by maxNorm/(total+1e-6)', () => {
    const ps = params();
    expect(clipGradNorm_(ps, 1)).toBe(13);
    const coef = 1 / (13 + 1e-6);
    expect(ps[0]!.grad!.tolist()).toEqual([[3 * coef, 4 * coef]]);
    expect(ps[1]!.grad!.tolist()).toEqual([[0, -12 * coef]]);
    expect(ps[2]!.grad).toBeNull();
  });

  it('supports the 1-norm, the ∞-norm and any p', () => {
    let ps = params();
    expect(clipGradNorm_(ps, 38, 1)).toBe(19);
    expect(ps[0]!.grad!.tolist()).toEqual([[3, 4]]);
    ps = params();
    expect(clipGradNorm_(ps, 6, Infinity)).toBe(12);
    expect(ps[1]!.grad!.tolist()).toEqual([[0, -12 * (6 / (12 + 1e-6))]]);
    expect(clipGradNorm_(params(), 1e9, 3)).toBeCloseTo((27 + 64 + 1728) ** (1 / 3), 12);
  });

  it('leaves gradients alone when the norm is below maxNorm', () => {
    const ps = params();
    expect(clipGradNorm_(ps, 100)).toBe(13);
    expect(ps[0]!.grad!.tolist()).toEqual([[3, 4]]);
  });

  it('takes a single tensor, and returns 0 when nothing has a gradient', () => {
    const p = param([[0, 0]], [[6, 8]]);
    expect(clipGradNorm_(p, 5)).toBe(10);
    expect(p.grad!.tolist()).toEqual([[6 * (5 / (10 + 1e-6)), 8 * (5 / (10 + 1e-6))]]);
    expect(clipGradNorm_([param([[1]], null)], 1)).toBe(0);
  });

  it('refuses a non-finite norm when errorIfNonfinite, and otherwise scales by it as PyTorch does', () => {
    const ps = [param([[1, 1]], [[NaN, 1]])];
    expect(() => clipGradNorm_(ps, 1, 2, { errorIfNonfinite: true })).toThrow(
      /total norm of order 2 for gradients from `parameters` is non-finite/,
    );
    expect(ps[0]!.grad!.tolist()).toEqual([[NaN, 1]]);
    expect(clipGradNorm_(ps, 1)).toBeNaN();
    expect(ps[0]!.grad!.tolist()).toEqual([[NaN, NaN]]);
    expect(() => clipGradNorm_(ps, 1, 0)).toThrow('clipGradNorm_: normType must be positive or Infinity, got 0');
  });

  it('sums the repeated rows of a row-sparse gradient before taking its norm', () => {
    const p = new Parameter(zeros([3, 2], { dtype: 'float64' }));
    p.grad = new RowSparseTensor(
      Int32Array.from([0, 0]),
      tensor(
        [
          [1, 1],
          [2, 2],
        ],
        { dtype: 'float64' },
      ),
      [3, 2],
    );
    expect(clipGradNorm_(p, 1)).toBeCloseTo(Math.sqrt(18), 14);
    const dense = (p.grad as RowSparseTensor).toDense().tolist() as number[][];
    expect(dense[0]![0]).toBeCloseTo(3 / Math.sqrt(18), 6);
  });
});

describe('clipGradValue_', () => {
  it('clamps every gradient element into [−clipValue, clipValue]', () => {
    const ps = params();
    clipGradValue_(ps, 3.5);
    expect(ps[0]!.grad!.tolist()).toEqual([[3, 3.5]]);
    expect(ps[1]!.grad!.tolist()).toEqual([[0, -3.5]]);
    expect(() => clipGradValue_(ps, -1)).toThrow('clipGradValue_: clipValue must be non-negative, got -1');
  });

  it('clamps the summed rows of a row-sparse gradient', () => {
    const p = new Parameter(zeros([3, 1], { dtype: 'float64' }));
    p.grad = new RowSparseTensor(Int32Array.from([2, 2]), tensor([[0.75], [0.75]], { dtype: 'float64' }), [3, 1]);
    clipGradValue_([p], 1);
    expect((p.grad as RowSparseTensor).toDense().tolist()).toEqual([[0], [0], [1]]);
  });
});
