import { formatShape, formatValue, isFloating, isGradEnabled, promoteTypes, shapesEqual, Tensor, type Shape } from '@loom/core';

/** Throws unless `t` is a Tensor (JavaScript callers may pass arrays). */
export function checkTensor(op: string, t: unknown, what: string): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a Tensor, got ${formatValue(t)}`);
}

/** Throws unless `t` is a float32 or float64 tensor. */
export function checkFloating(op: string, t: unknown, what: string): asserts t is Tensor {
  checkTensor(op, t, what);
  if (!isFloating(t.dtype)) throw new TypeError(`${op}: ${what} must be a floating-point tensor (float32 or float64), got ${t.dtype}`);
}

/**
 * Throws when `target` requires grad in a loss that computes no gradient for it: otherwise the
 * target would silently get none (PyTorch computes one for some of these losses, e.g.
 * `binary_cross_entropy_with_logits` and `kl_div`; Loom only for the input).
 */
export function checkTargetWithoutGrad(op: string, target: Tensor, what = 'target'): void {
  if (target.requiresGrad && isGradEnabled()) {
    throw new Error(
      `${op}: the ${what} requires grad, but ${op} computes the gradient of its input only, so the ${what} would silently get none; pass ${what}.detach(), or compute the loss under noGrad`,
    );
  }
}

/** The floating dtype a loss of `input` and `others` computes in: PyTorch's type promotion. */
export function resultDType(input: Tensor, ...others: Tensor[]): 'float32' | 'float64' {
  return others.reduce((d, t) => promoteTypes(d, t.dtype), input.dtype) === 'float64' ? 'float64' : 'float32';
}

/**
 * The broadcast shape of loss operands, with PyTorch's error text naming the first dimension at
 * fault ("The size of tensor a (5) must match the size of tensor b (6) at non-singleton dimension 0").
 */
export function broadcastLossShapes(op: string, a: Shape, b: Shape, names = ['input', 'target']): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `${op}: ${names[0]} of shape ${formatShape(a)} and ${names[1]} of shape ${formatShape(b)} cannot be broadcast together: ` +
          `the size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i}`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Throws unless `target` has exactly the input's shape (BCE losses do not broadcast). */
export function checkSameShape(op: string, input: Tensor, target: Tensor): void {
  if (!shapesEqual(input.shape, target.shape)) {
    throw new RangeError(`${op}: target size ${formatShape(target.shape)} must be the same as input size ${formatShape(input.shape)}`);
  }
}

/** Throws unless an elementwise weight broadcasts to `shape` itself (not to a larger shape). */
export function checkBroadcastWeight(op: string, weight: Tensor, shape: Shape, what: string): void {
  checkFloating(op, weight, what);
  const b = broadcastLossShapes(op, weight.shape, shape, [what, 'input']);
  if (!shapesEqual(b, shape)) {
    throw new RangeError(`${op}: ${what} of shape ${formatShape(weight.shape)} must broadcast to the input's shape ${formatShape(shape)}`);
  }
}

/** Throws unless `value` is a finite number; returns it. */
export function checkNumber(op: string, value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${op}: ${what} must be a finite number, got ${formatValue(value)}`);
  }
  return value;
}
