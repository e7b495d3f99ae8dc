import { record } from '../autograd/record.js';
import { isFloating } from '../dtype.js';
import { extremumRowsKernel, varianceRowsKernel } from '../kernels/definitions.js';
import { formatShape, normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { mul, sub } from './binary.js';
import { detach, to } from './copy.js';
import { denseCopy, fromRows, toRows } from './elementwise-internal.js';
import { mean, reducedShape, reductionDims } from './reduce.js';
import { sqrt } from './unary.js';
import { reshape } from './views.js';
import { checkNumber, checkOptions, optionKeys } from '../util/options.js';

/** The values and (int32) indices of a reduction along one dim, as `torch.max(x, dim)`. */
export interface ValuesIndices {
  values: Tensor;
  indices: Tensor;
}

function checkNonEmpty(x: Tensor, name: string): void {
  if (x.numel === 0) {
    throw new RangeError(`${name}: expected a reduction dim to be specified for an input with no elements (shape ${formatShape(x.shape)})`);
  }
}

/** The extreme of all elements, as a 0-d tensor; the gradient is spread evenly over ties. */
function extremumAll(x: Tensor, isMax: boolean): Tensor {
  const name = isMax ? 'max' : 'min';
  checkNonEmpty(x, name);
  const layout = toRows(
    x,
    x.shape.map((_, i) => i),
  );
  const out = Tensor.empty([], x.dtype);
  extremumRowsKernel.select(x.dtype)(1, x.numel, layout.t.storage.array(), layout.t.offset, out.storage.array(), 0, null, 0, isMax);
  return record(name, out, [x], (g) => {
    // evenly_distribute_backward: every element equal to the result (every NaN when it is NaN)
    // gets g / count.
    const v = out.item();
    const src = layout.t.storage.array();
    const off = layout.t.offset;
    const n = x.numel;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const e = src[off + i]!;
      if (e === v || (v !== v && e !== e)) count++;
    }
    const share = g.item() / count;
    const gi = Tensor.empty(x.shape, g.dtype);
    const dst = gi.storage.array();
    for (let i = 0; i < n; i++) {
      const e = src[off + i]!;
      dst[i] = e === v || (v !== v && e !== e) ? share : 0;
    }
    return [gi];
  });
}

/** Values and first-occurrence indices along `dim`; the gradient flows to the indices. */
function extremumDim(x: Tensor, dim: number, keepdim: boolean, isMax: boolean): ValuesIndices {
  const name = isMax ? 'max' : 'min';
  const d = normalizeDim(dim, x.ndim, name);
  const dims = x.ndim === 0 ? [] : [d];
  if (x.ndim > 0 && x.shape[d] === 0) {
    throw new RangeError(`${name}: cannot reduce dimension ${d} of size 0 (shape ${formatShape(x.shape)}): the operation has no identity`);
  }
  const layout = toRows(x, dims);
  const shape = x.ndim === 0 ? [] : reducedShape(x.shape, dims, keepdim);
  const values = Tensor.empty(shape, x.dtype);
  const indices = Tensor.empty(shape, 'int32');
  extremumRowsKernel.select(x.dtype)(
    layout.rows,
    layout.n,
    layout.t.storage.array(),
    layout.t.offset,
    values.storage.array(),
    0,
    indices.storage.array() as Int32Array,
    0,
    isMax,
  );
  record(name, values, [x], (g) => {
    // Scatter g (in row order) to the chosen element of each row, zeros elsewhere.
    const gc = denseCopy(to(g, x.dtype));
    const gsrc = gc.storage.array();
    const gi = Tensor.empty(layout.t.shape, x.dtype);
    const dst = gi.storage.array();
    dst.fill(0);
    const idx = indices.storage.array();
    const { rows, n } = layout;
    for (let r = 0; r < rows; r++) dst[r * n + idx[r]!] = gsrc[gc.offset + r]!;
    return [fromRows(gi, layout.perm)];
  });
  return { values, indices };
}

/** Index of the extreme along `dim`, or of all elements flattened when `dim` is undefined. */
function argExtremum(x: Tensor, dim: number | undefined, keepdim: boolean, isMax: boolean): Tensor {
  const name = isMax ? 'argmax' : 'argmin';
  if (dim === undefined || dim === null) {
    checkNonEmpty(x, name);
    const layout = toRows(
      x,
      x.shape.map((_, i) => i),
    );
    const out = Tensor.empty([], 'int32');
    extremumRowsKernel.select(x.dtype)(
      1,
      x.numel,
      layout.t.storage.array(),
      layout.t.offset,
      null,
      0,
      out.storage.array() as Int32Array,
      0,
      isMax,
    );
    return out;
  }
  return extremumDim(detach(x), dim, keepdim, isMax).indices;
}

/**
 * The largest element of all, as a 0-d tensor (`torch.max(x)`); the gradient is spread evenly over ties.
 * @param x - the input, with at least one element (an empty tensor throws)
 */
export function max(x: Tensor): Tensor;
/**
 * The values and (int32) indices of the max along `dim`, as `torch.max(x, dim)`; the index
 * is the first occurrence, and the gradient flows to it.
 * @param x - the input; `dim` must not have size 0
 * @param dim - the dim reduced; negative counts from the end
 * @param keepdim - keep `dim` with size 1 in `values` and `indices` (default false: it is removed)
 */
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return dim === undefined || dim === null ? extremumAll(x, true) : extremumDim(x, dim, keepdim, true);
}

/**
 * The smallest element of all, as a 0-d tensor (`torch.min(x)`); the gradient is spread evenly over ties.
 * @param x - the input, with at least one element (an empty tensor throws)
 */
export function min(x: Tensor): Tensor;
/**
 * The values and (int32) indices of the min along `dim`, as `torch.min(x, dim)`; the index
 * is the first occurrence, and the gradient flows to it.
 * @param x - the input; `dim` must not have size 0
 * @param dim - the dim reduced; negative counts from the end
 * @param keepdim - keep `dim` with size 1 in `values` and `indices` (default false: it is removed)
 */
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return dim === undefined || dim === null ? extremumAll(x, false) : extremumDim(x, dim, keepdim, false);
}

/**
 * Index (int32) of the first max along `dim`, or in the flattened tensor without `dim`.
 * @param x - a non-empty tensor; no gradient flows through indices.
 * @param dim - the dim to reduce (negative counts from the end); absent: over all elements, a 0-d result.
 * @param keepdim - keep `dim` as a size-1 dim (default false); ignored without `dim`.
 */
export function argmax(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtremum(x, dim, keepdim, true);
}

/**
 * Index (int32) of the first min along `dim`, or in the flattened tensor without `dim`.
 * @param x - a non-empty tensor; no gradient flows through indices.
 * @param dim - the dim to reduce (negative counts from the end); absent: over all elements, a 0-d result.
 * @param keepdim - keep `dim` as a size-1 dim (default false); ignored without `dim`.
 */
export function argmin(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtremum(x, dim, keepdim, false);
}

/**
 * Options of `variance` and `std`. PyTorch's older `unbiased` flag is `correction`: `unbiased:
 * false` is `correction: 0`.
 */
export interface VarianceOptions {
  /** Subtracted from the element count in the divisor: 1 (Bessel's correction) by default. */
  correction?: number;
  /** Keep the reduced dims as size 1 (default false). */
  keepdim?: boolean;
}

const VARIANCE_OPTIONS = optionKeys<VarianceOptions>({ correction: true, keepdim: true });

/**
 * The variance over `dim` (one dim, several, or all when undefined), Σ(x − mean)² /
 * max(0, N − correction), as `torch.var(x, dim, correction=…)`. (`var` is a reserved word, so
 * the function is `variance`; the Tensor method is `var`.)
 * @param x - the input, float32 or float64 (integer dtypes throw)
 * @param dim - the dim reduced or a list of dims (negative counts from the end; repeats count
 *   once); omitted, null or `[]`: every dim, giving a 0-d tensor
 * @param options - `correction` (default 1) and `keepdim` (default false), see
 *   {@link VarianceOptions}; unknown keys throw
 */
export function variance(x: Tensor, dim?: number | readonly number[] | null, options: VarianceOptions = {}): Tensor {
  checkOptions('var', options, VARIANCE_OPTIONS);
  const { correction = 1, keepdim = false } = options;
  checkNumber('var', 'correction', correction);
  if (!isFloating(x.dtype)) throw new TypeError(`var: input dtype must be floating point, got ${x.dtype}`);
  const dims = reductionDims(x, dim ?? undefined, 'var');
  const layout = toRows(x, x.ndim === 0 ? [] : dims);
  const out = Tensor.empty(reducedShape(x.shape, dims, keepdim), x.dtype);
  varianceRowsKernel.select(x.dtype)(layout.rows, layout.n, layout.t.storage.array(), layout.t.offset, out.storage.array(), 0, correction);
  const N = layout.n;
  return record('var', out, [x], (g) => {
    // (2 / (N − correction)) · g · (x − mean(x)).
    const kept = reducedShape(x.shape, dims, true);
    const xd = detach(x);
    return [mul(mul(reshape(g, kept), 2 / (N - correction)), sub(xd, mean(xd, dims, true)))];
  });
}

/**
 * The standard deviation over `dim` (one dim, several, or all when undefined): the square root
 * of `variance` with the same `correction` (default 1), as `torch.std(x, dim, correction=…)`.
 * @param x - the input, float32 or float64 (integer dtypes throw)
 * @param dim - the dim reduced or a list of dims (negative counts from the end; repeats count
 *   once); omitted, null or `[]`: every dim, giving a 0-d tensor
 * @param options - `correction` (default 1) and `keepdim` (default false), see
 *   {@link VarianceOptions}; unknown keys throw
 */
export function std(x: Tensor, dim?: number | readonly number[] | null, options: VarianceOptions = {}): Tensor {
  checkOptions('std', options, ['correction', 'keepdim']);
  return sqrt(variance(x, dim, options));
}
