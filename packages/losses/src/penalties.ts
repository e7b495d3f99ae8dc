import { record, Tensor } from '@loom/core';
import { checkFloating } from './checks.js';
import { valuesOver } from './operands.js';

/** The parameters as an array of checked floating tensors, and the dtype their sum takes. */
function collect(op: string, params: Iterable<Tensor>): { list: Tensor[]; dtype: 'float32' | 'float64' } {
  const list = [...params];
  list.forEach((p, i) => checkFloating(op, p, `parameter ${i}`));
  return { list, dtype: list.some((p) => p.dtype === 'float64') ? 'float64' : 'float32' };
}

/** One scalar penalty Σ_p Σ_i f(p_i) over all parameters, with gradient f'(p_i)·g for each. */
function penalty(op: string, params: Iterable<Tensor>, f: (v: number) => number, df: (v: number) => number): Tensor {
  const { list, dtype } = collect(op, params);
  let total = 0;
  for (const p of list) {
    const v = valuesOver(p, p.shape);
    for (let i = 0; i < v.length; i++) total += f(v[i]!);
  }
  const out = Tensor.empty([], dtype);
  out.data()[0] = total;
  return record(op, out, list, (g) => {
    const up = g.item();
    return list.map((p) => {
      const v = valuesOver(p, p.shape);
      const grad = Tensor.empty(p.shape, p.dtype);
      const d = grad.data();
      for (let i = 0; i < v.length; i++) d[i] = df(v[i]!) * up;
      return grad;
    });
  });
}

/**
 * The L1 penalty Σ|p| over every element of every parameter, a 0-d tensor with gradient sign(p)
 * (0 at 0, as PyTorch's abs). Add it to a loss for L1 regularisation:
 * `add(criterion.forward(pred, target), mul(l1Penalty(model.parameters()), lambda))`.
 * @param params - the tensors to penalize (float32 or float64, e.g. `model.parameters()`); each gets the gradient
 *   sign(p); none gives 0
 */
export function l1Penalty(params: Iterable<Tensor>): Tensor {
  return penalty('l1Penalty', params, Math.abs, Math.sign);
}

/**
 * The L2 penalty Σp² over every element of every parameter (no ½), a 0-d tensor with gradient
 * 2p. Adding λ/2 · l2Penalty to the loss is what an optimizer's `weightDecay: λ` does to the
 * gradient.
 * @param params - the tensors to penalize (float32 or float64, e.g. `model.parameters()`); each gets the gradient 2p;
 *   none gives 0
 */
export function l2Penalty(params: Iterable<Tensor>): Tensor {
  return penalty(
    'l2Penalty',
    params,
    (v) => v * v,
    (v) => 2 * v,
  );
}
