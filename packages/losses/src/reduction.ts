import { contiguous, scalar, type Tensor, type TypedArray } from '@loom/core';

/** How a loss reduces its per-element values, as PyTorch's `reduction`. */
export type Reduction = 'none' | 'mean' | 'sum';

/** The reductions of `KLDivLoss`, which adds PyTorch's `'batchmean'` (sum divided by the batch size). */
export type KLDivReduction = Reduction | 'batchmean';

const REDUCTIONS: readonly Reduction[] = ['none', 'mean', 'sum'];

/** Validates a `reduction` option against `allowed`, defaulting to 'mean' as PyTorch does. */
export function checkReduction<R extends string = Reduction>(
  op: string,
  reduction: string | undefined,
  allowed: readonly R[] = REDUCTIONS as unknown as readonly R[],
): R {
  const r = reduction ?? 'mean';
  if (!(allowed as readonly string[]).includes(r)) {
    throw new RangeError(
      `${op}: ${String(reduction)} is not a valid value for reduction (expected ${allowed.map((a) => `'${a}'`).join(', ')})`,
    );
  }
  return r as R;
}

/** The 0-d result of a reduced loss: `total`, divided by `count` for 'mean' (0/0 gives NaN, as in PyTorch). */
export function reducedOutput(total: number, count: number, reduction: string, dtype: 'float32' | 'float64'): Tensor {
  return scalar(reduction === 'mean' ? total / count : total, dtype);
}

/**
 * The upstream gradient of a loss as each element sees it: for 'none', `each` holds one value per
 * output element; otherwise `each` is null and every element gets `all`, already divided by
 * `count` for 'mean'.
 */
export interface Upstream {
  each: TypedArray | null;
  all: number;
}

/** Reads a loss's upstream gradient `g` (see `Upstream`). */
export function upstreamOf(g: Tensor, reduction: string, count: number): Upstream {
  if (reduction === 'none') return { each: contiguous(g).data(), all: 0 };
  const v = g.item();
  return { each: null, all: reduction === 'mean' ? v / count : v };
}
