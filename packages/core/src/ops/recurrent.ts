import type { Tensor } from '../tensor/tensor.js';
import { sigmoid, tanh } from './activations.js';
import { add, mul, sub } from './binary.js';
import { linear } from './matmul.js';
import { narrow } from './views.js';

/** The weights of one recurrent cell, as PyTorch names them: W_ih [G·H, I], W_hh [G·H, H], b_ih, b_hh [G·H]. */
export interface CellWeights {
  /** W_ih [G·H, I], the input-to-gates weight (G = 4 for LSTM, 3 for GRU, gates in PyTorch's order). */
  weightIh: Tensor;
  /** W_hh [G·H, H], the hidden-to-gates weight. */
  weightHh: Tensor;
  /** b_ih [G·H]; `null`: no input bias. */
  biasIh: Tensor | null;
  /** b_hh [G·H]; `null`: no hidden bias. */
  biasHh: Tensor | null;
}

/** Gate `k` of `count` equal gates along the last dim of [N, count·H] (a view). */
function gate(gates: Tensor, k: number, count: number): Tensor {
  const h = gates.shape[gates.ndim - 1]! / count;
  return narrow(gates, -1, k * h, h);
}

/**
 * One LSTM step from the input projection `inputGates` = x·W_ihᵀ + b_ih (computed for every time
 * step at once by the caller), in PyTorch's gate order input, forget, cell, output:
 * c' = f·c + i·g, h' = o·tanh(c'). Returns [h', c'].
 */
export function lstmCellFromProjection(inputGates: Tensor, h: Tensor, c: Tensor, w: CellWeights): [Tensor, Tensor] {
  const gates = add(linear(h, w.weightHh, w.biasHh), inputGates);
  const i = sigmoid(gate(gates, 0, 4));
  const f = sigmoid(gate(gates, 1, 4));
  const g = tanh(gate(gates, 2, 4));
  const o = sigmoid(gate(gates, 3, 4));
  const cNext = add(mul(f, c), mul(i, g));
  return [mul(o, tanh(cNext)), cNext];
}

/**
 * One GRU step from the input projection `inputGates` = x·W_ihᵀ + b_ih, in PyTorch's gate order
 * reset, update, new: r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r·(W_hn·h + b_hn)),
 * h' = n + z·(h − n) (= (1 − z)·n + z·h, computed as PyTorch's kernel does).
 */
export function gruCellFromProjection(inputGates: Tensor, h: Tensor, w: CellWeights): Tensor {
  const hiddenGates = linear(h, w.weightHh, w.biasHh);
  const r = sigmoid(add(gate(hiddenGates, 0, 3), gate(inputGates, 0, 3)));
  const z = sigmoid(add(gate(hiddenGates, 1, 3), gate(inputGates, 1, 3)));
  const n = tanh(add(gate(inputGates, 2, 3), mul(gate(hiddenGates, 2, 3), r)));
  return add(mul(sub(h, n), z), n);
}

/**
 * One LSTM step, as `torch.nn.LSTMCell`'s arithmetic: input [N, I], h and c [N, H]; returns [h', c'].
 * @param input - x, [N, I]
 * @param h - the previous hidden state, [N, H]
 * @param c - the previous cell state, [N, H]
 * @param w - W_ih [4H, I], W_hh [4H, H] and the biases [4H], gates ordered input, forget, cell,
 *   output; see {@link CellWeights}
 */
export function lstmCell(input: Tensor, h: Tensor, c: Tensor, w: CellWeights): [Tensor, Tensor] {
  return lstmCellFromProjection(linear(input, w.weightIh, w.biasIh), h, c, w);
}

/**
 * One GRU step, as `torch.nn.GRUCell`'s arithmetic: input [N, I], h [N, H]; returns h'.
 * @param input - x, [N, I]
 * @param h - the previous hidden state, [N, H]
 * @param w - W_ih [3H, I], W_hh [3H, H] and the biases [3H], gates ordered reset, update, new;
 *   see {@link CellWeights}
 */
export function gruCell(input: Tensor, h: Tensor, w: CellWeights): Tensor {
  return gruCellFromProjection(linear(input, w.weightIh, w.biasIh), h, w);
}
