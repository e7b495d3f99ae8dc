import { record, recording } from '../autograd/record.js';
import { isFloating } from '../dtype.js';
import { matmulKernel } from '../kernels/definitions.js';
import { broadcastShapes, broadcastStrides, formatShape, numel } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { add, binaryOperands } from './binary.js';
import { sumTo } from './reduce.js';
import { squeeze, transpose, unsqueeze } from './views.js';

/**
 * [..., M, K]·[..., K, N] with broadcast batch dims, by the matmul kernel (no autograd); two
 * matrices' product goes into `into` (a contiguous [M, N] of their dtype) when given.
 */
function batchedMatmul(a: Tensor, b: Tensor, into: Tensor | null = null): Tensor {
  const M = a.shape[a.ndim - 2]!;
  const K = a.shape[a.ndim - 1]!;
  const N = b.shape[b.ndim - 1]!;
  const kernel = matmulKernel.select(a.dtype);
  const aRs = a.strides[a.ndim - 2]!;
  const aCs = a.strides[a.ndim - 1]!;
  const bRs = b.strides[b.ndim - 2]!;
  const bCs = b.strides[b.ndim - 1]!;
  if (a.ndim === 2 && b.ndim === 2) {
    // No batch dims (every Linear layer): one call, without the broadcast bookkeeping's arrays.
    const out = into ?? Tensor.emptyOwning([M, N], a.dtype);
    kernel(M, N, K, a.storage.array(), a.offset, aRs, aCs, b.storage.array(), b.offset, bRs, bCs, out.storage.array(), out.offset, false);
    return out;
  }
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), 'matmul');
  const out = Tensor.empty([...batch, M, N], a.dtype);
  const aStrides = broadcastStrides(a.shape.slice(0, -2), a.strides.slice(0, -2), batch);
  const bStrides = broadcastStrides(b.shape.slice(0, -2), b.strides.slice(0, -2), batch);
  const A = a.storage.array();
  const B = b.storage.array();
  const C = out.data();
  const count = numel(batch);
  const idx = new Array<number>(batch.length).fill(0);
  for (let n = 0; n < count; n++) {
    let aOff = a.offset;
    let bOff = b.offset;
    for (let d = 0; d < batch.length; d++) {
      aOff += idx[d]! * aStrides[d]!;
      bOff += idx[d]! * bStrides[d]!;
    }
    kernel(M, N, K, A, aOff, aRs, aCs, B, bOff, bRs, bCs, C, n * M * N, false);
    for (let d = batch.length - 1; d >= 0; d--) {
      if (++idx[d]! < batch[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * Matrix product with PyTorch's rules: 1-D operands are promoted to a row/column and the added
 * dim removed after; batch dims broadcast.
 * @param a - the left factor, [..., n, k] (or [k]); floating after promotion with `b`, else a TypeError
 * @param b - the right factor, [..., k, m] (or [k]); its k must equal `a`'s last dim
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RangeError(`matmul: both arguments need at least 1 dimension, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  if (a.ndim === 1) return squeeze(matmul(unsqueeze(a, 0), b), -2);
  if (b.ndim === 1) return squeeze(matmul(a, unsqueeze(b, -1)), -1);
  if (a.shape[a.ndim - 1] !== b.shape[b.ndim - 2]) {
    throw new RangeError(`matmul: cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)}`);
  }
  const [x, y] = binaryOperands(a, b);
  if (!isFloating(x.dtype)) throw new TypeError(`matmul: expected floating-point tensors, got ${x.dtype}`);
  const out = batchedMatmul(x, y);
  if (!recording(x, y)) return out;
  // A transposed operand (the weight of `linear`) gets its gradient as the transpose of the
  // swapped product, which lands contiguous in the operand's own storage order: no copy later.
  return record('matmul', out, [x, y], (g) => [
    x.requiresGrad
      ? sumTo(columnMajor(x) ? transpose(matmul(y, transpose(g, -1, -2)), -1, -2) : matmul(g, transpose(y, -1, -2)), x.shape)
      : null,
    y.requiresGrad
      ? sumTo(columnMajor(y) ? transpose(matmul(transpose(g, -1, -2), x), -1, -2) : matmul(transpose(x, -1, -2), g), y.shape)
      : null,
  ]);
}

/** Whether the last two dims of `t` are a transposed view of a row-major matrix. */
function columnMajor(t: Tensor): boolean {
  const n = t.ndim;
  return t.shape[n - 1]! > 1 && t.strides[n - 2] === 1 && t.strides[n - 1] === t.shape[n - 2];
}

/**
 * x·Wᵀ for a matrix x [M, K] and a weight W [N, K] of x's floating dtype: `matmul(x, transpose(W))`
 * without the transposed views (of W in the forward, of the gradients in the backward), whose
 * objects were most of a Linear layer's garbage per step. The same kernel calls, on the same
 * operands' strides, as that composition makes: the same bits.
 */
function matmulWeight(x: Tensor, w: Tensor): Tensor {
  const M = x.shape[0]!;
  const N = w.shape[0]!;
  const out = Tensor.emptyOwning([M, N], x.dtype);
  const X = x.storage.array();
  const W = w.storage.array();
  matmulKernel.select(x.dtype)(
    M,
    N,
    x.shape[1]!,
    X,
    x.offset,
    x.strides[0]!,
    x.strides[1]!,
    W,
    w.offset,
    w.strides[1]!,
    w.strides[0]!,
    out.data(),
    0,
    false,
  );
  if (!recording(x, w)) return out;
  return record('matmul', out, [x, w], (g, into) => [
    // As matmul's backward with y = Wᵀ, whose own transpose is W.
    x.requiresGrad ? (columnMajor(x) ? transpose(matmul(transpose(w, 0, 1), transpose(g, 0, 1)), 0, 1) : matmul(g, w)) : null,
    // Wᵀ is column-major exactly when W is row-major with more than one row; then Wᵀ's gradient,
    // transposed back to W's shape, is gᵀ·x as it stands.
    w.requiresGrad
      ? N > 1 && w.strides[1] === 1 && w.strides[0] === w.shape[1]
        ? transposedTimes(g, x, into?.[1] ?? null)
        : transpose(matmul(transpose(x, 0, 1), g), 0, 1)
      : null,
  ]);
}

/**
 * gᵀ·x for matrices g [M, N] and x [M, K] of one floating dtype, as `matmul(transpose(g, 0, 1), x)`
 * computes it (the same kernel call on the same strides: the same bits), written into `dest` (a
 * contiguous [N, K] of that dtype: a weight's own `.grad`, offered by backward) when given.
 */
function transposedTimes(g: Tensor, x: Tensor, dest: Tensor | null): Tensor {
  if (dest === null) return matmul(transpose(g, 0, 1), x);
  batchedMatmul(transpose(g, 0, 1), x, dest);
  dest.storage.bumpVersion('backward');
  return dest;
}

/**
 * y = x·Wᵀ + b, as `torch.nn.functional.linear`; W is [out, in].
 * @param input - x, [..., in] (any leading dims, or just [in]); floating
 * @param weight - W, [out, in]
 * @param bias - b, [out] (or anything broadcasting to [..., out]); omitted or `null`: no bias
 */
export function linear(input: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (weight.ndim !== 2 || input.shape[input.ndim - 1] !== weight.shape[1]) {
    throw new RangeError(
      `linear: input ${formatShape(input.shape)} does not match weight ${formatShape(weight.shape)} (expected last dim ${weight.shape[1]})`,
    );
  }
  const y =
    input.ndim === 2 && input.dtype === weight.dtype && isFloating(input.dtype)
      ? matmulWeight(input, weight)
      : matmul(input, transpose(weight, 0, 1));
  if (!bias) return y;
  const out = add(y, bias);
  // Nothing reads y's values again (add's backward needs only shapes, matmul's its inputs) and
  // nobody else holds it: free it now rather than leave it to a reclaiming pass to copy out.
  y.dispose();
  return out;
}
