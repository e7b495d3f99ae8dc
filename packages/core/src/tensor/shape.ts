import { formatValue } from '../util/format-value.js';

/** Shape arithmetic shared by tensors and ops. */

export type Shape = readonly number[];

/**
 * The number of elements of a shape (1 for a scalar).
 * @param shape - the sizes of the dims (`[]` for a 0-d tensor; a 0 anywhere gives 0)
 */
export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Row-major (C-contiguous) strides of a shape, in elements: [2, 3, 4] → [12, 4, 1].
 * @param shape - the dims; [] gives [].
 */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/**
 * Whether `strides` lay `shape` out densely in row-major order (a dim of size 1 may have any stride).
 * @param shape - the dims
 * @param strides - elements to step per index of each dim
 */
export function isRowMajor(shape: Shape, strides: Shape): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== expected) return false;
    expected *= shape[i]!;
  }
  return true;
}

/**
 * A shape as error messages print it: `[2,3]`.
 * @param shape - the sizes of the dims (`[]` prints as `[]`)
 */
export function formatShape(shape: Shape): string {
  // A shape a caller got wrong may hold anything; its entries are shown as what they are.
  return `[${shape.map((d) => (typeof d === 'number' ? String(d) : formatValue(d))).join(',')}]`;
}

/**
 * Whether two shapes have the same dimensions (no broadcasting: [3] and [1, 3] differ).
 * @param a - one shape
 * @param b - the other shape
 */
export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Normalises a possibly negative dim against `ndim`, with PyTorch's error text.
 * @param dim - an integer in [-ndim, ndim) (−1 is the last dim); anything else throws a RangeError
 * @param ndim - the number of dims; a 0-d tensor accepts dim 0 and −1, as in PyTorch
 * @param op - the op name the error message starts with
 */
export function normalizeDim(dim: number, ndim: number, op: string): number {
  const lo = -Math.max(ndim, 1);
  const hi = Math.max(ndim, 1) - 1;
  if (typeof dim !== 'number' || Number.isNaN(dim)) throw new TypeError(`${op}: dim must be an integer, got ${formatValue(dim)}`);
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    throw new RangeError(`${op}: dimension out of range (expected to be in range of [${lo}, ${hi}], but got ${dim})`);
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

/**
 * The broadcast shape of two shapes, as PyTorch/NumPy broadcast.
 * @param a - one shape, aligned with `b` at the last dim; missing leading dims count as 1.
 * @param b - the other shape.
 * @param op - the op's name, used in the RangeError when a pair of dims is neither equal nor 1.
 */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(`${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides that read a tensor of `shape`/`strides` as if broadcast to `target` (0 on broadcast dims).
 * @param shape - the tensor's own shape, broadcastable to `target` (not checked here).
 * @param strides - the tensor's strides, in elements, one per dim of `shape`.
 * @param target - the broadcast shape, as {@link broadcastShapes} gives it.
 */
export function broadcastStrides(shape: Shape, strides: Shape, target: Shape): number[] {
  const out = new Array<number>(target.length).fill(0);
  const offset = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) {
    out[offset + i] = shape[i] === 1 && target[offset + i] !== 1 ? 0 : strides[i]!;
  }
  return out;
}

export function checkShape(shape: Shape, op: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`${op}: invalid shape ${formatShape(shape)}`);
  }
}
