/** `Module.to(dtype)`: the parameters, their gradients and the buffers of a module tree, converted. */
import { formatValue } from '../util/format-value.js';
import { type DType, isFloating } from '../dtype.js';
import { persistent } from '../memory/context.js';
import { detach, to } from '../ops/copy.js';
import { RowSparseTensor } from '../tensor/row-sparse.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Module } from './module.js';
import { Parameter } from './parameter.js';

/** A persistent copy of `t` (outside the autograd graph) in `dtype`. */
function converted(t: Tensor, dtype: DType): Tensor {
  return persistent(() => to(detach(t), dtype));
}

function convertGrad(grad: Tensor | null, dtype: DType): Tensor | null {
  if (grad === null || grad.dtype === dtype) return grad;
  if (grad instanceof RowSparseTensor) {
    return new RowSparseTensor(grad.indices.slice(), converted(grad.values, dtype), grad.shape);
  }
  return converted(grad, dtype);
}

/**
 * Replaces every floating-point parameter (a new `Parameter`, keeping `requiresGrad` and a
 * converted `.grad`) and every floating-point buffer of `root` and its descendants by a copy in
 * `dtype`. A tensor reachable from several modules is converted once, so tied weights stay tied.
 */
export function convertModuleDType(root: Module, dtype: DType): void {
  if (!isFloating(dtype)) {
    throw new TypeError(`Module.to: only floating-point dtypes are accepted (float32, float64), got ${formatValue(dtype)}`);
  }
  const done = new Map<Tensor, Tensor>();
  const convert = <T extends Tensor>(t: T, make: (t: T) => T): T => {
    if (!isFloating(t.dtype) || t.dtype === dtype) return t;
    let out = done.get(t) as T | undefined;
    if (!out) {
      out = make(t);
      done.set(t, out);
    }
    return out;
  };
  for (const m of root.modules()) {
    const slots = m as unknown as Record<string, unknown>;
    for (const [name, p] of m.namedOwnParameters()) {
      slots[name] = convert(p, (old) => {
        const fresh = new Parameter(converted(old, dtype), old.requiresGrad);
        fresh.grad = convertGrad(old.grad, dtype);
        return fresh;
      });
    }
    for (const [name, { tensor, persistent: keep }] of m.namedOwnBufferSlots()) {
      if (tensor !== null)
        m.registerBuffer(
          name,
          convert(tensor, (old) => converted(old, dtype)),
          keep,
        );
    }
  }
}
