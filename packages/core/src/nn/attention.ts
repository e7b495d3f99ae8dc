import { formatValue } from '../util/format-value.js';
import type { DType } from '../dtype.js';
import { additiveMask, scaledDotProductAttention } from '../ops/attention.js';
import { add, div } from '../ops/binary.js';
import { linear } from '../ops/matmul.js';
import { sum } from '../ops/reduce.js';
import { narrow, permute, reshape, squeeze, transpose, unsqueeze } from '../ops/views.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkFlag, checkOptions, type PositionalOr, positionalOptions } from '../util/options.js';
import { allocateParameter } from './allocate.js';
import { xavierUniform_, zeros_ } from './init.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';

/** Options of `MultiheadAttention`, as PyTorch's (camelCased). */
export interface MultiheadAttentionOptions {
  /** Dropout probability on the attention weights, in training mode (default 0). */
  dropout?: number;
  /** Biases of the input and output projections (default true). */
  bias?: boolean;
  /** Features of the keys (default embedDim). */
  kdim?: number;
  /** Features of the values (default embedDim). */
  vdim?: number;
  /** Inputs and output are [N, L, E] instead of [L, N, E] (default false). */
  batchFirst?: boolean;
  /** The floating dtype of the projections (default 'float32'). */
  dtype?: DType;
  /** Draws the initial values and the dropout masks (default: the default generator). */
  generator?: Generator;
}

const MHA_OPTIONS = ['dropout', 'bias', 'kdim', 'vdim', 'batchFirst', 'dtype', 'generator'] as const;

/** Options of `MultiheadAttention.forward`. */
export interface MultiheadAttentionForwardOptions {
  /** [N, S] (or [S] unbatched): true (bool) marks keys to ignore; a float mask is added to the scores. */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights (default true). */
  needWeights?: boolean;
  /** [L, S] shared by every batch item and head, or [N·heads, L, S]: bool true = may not attend (−∞), float = added. */
  attnMask?: Tensor | null;
  /** Weights averaged over heads [N, L, S] (default true), or per head [N, heads, L, S]. */
  averageAttnWeights?: boolean;
}

const FORWARD_OPTIONS = ['keyPaddingMask', 'needWeights', 'attnMask', 'averageAttnWeights'] as const;

/**
 * Multi-head attention, as `torch.nn.MultiheadAttention`: queries, keys and values projected by
 * `in_proj_weight` (q | k | v stacked; separate `q_proj_weight`, `k_proj_weight`, `v_proj_weight`
 * when kdim or vdim differ from embedDim) and `in_proj_bias`, split into heads, attended with
 * softmax(q·kᵀ/√headDim + mask) and recombined by `out_proj`. Parameter names are PyTorch's, so
 * its state dicts load as they are.
 */
export class MultiheadAttention extends Module<
  [query: Tensor, key: Tensor, value: Tensor, options?: MultiheadAttentionForwardOptions],
  [Tensor, Tensor | null]
> {
  // Declared in PyTorch's registration order: the state dict's keys follow it.
  in_proj_weight: Parameter | null = null;
  q_proj_weight: Parameter | null = null;
  k_proj_weight: Parameter | null = null;
  v_proj_weight: Parameter | null = null;
  in_proj_bias: Parameter | null = null;
  out_proj: Linear;
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  /** Draws the dropout masks; the parallel trainer reseeds it per (step, chunk). */
  generator: Generator;

  /**
   * `dropout` and `bias` may come positionally, as in PyTorch (`new MultiheadAttention(8, 2, 0.1)`);
   * PyTorch's further positional arguments (add_bias_kv, …) are not supported: give `kdim`, `vdim`
   * and `batchFirst` as options.
   * @param embedDim - E, the features of the queries and of the output; a positive integer
   *   divisible by `numHeads`.
   * @param numHeads - parallel attention heads, each of E / numHeads features; a positive integer.
   * @param args - optional `dropout` (in [0, 1], default 0) and `bias` (default true) in PyTorch's
   *   order, then optionally {@link MultiheadAttentionOptions} last; unknown keys throw.
   */
  constructor(embedDim: number, numHeads: number, ...args: PositionalOr<[dropout: number, bias: boolean], MultiheadAttentionOptions>) {
    super();
    const options = positionalOptions<MultiheadAttentionOptions>('MultiheadAttention', args, ['dropout', 'bias'], MHA_OPTIONS);
    const {
      dropout = 0,
      bias = true,
      kdim = embedDim,
      vdim = embedDim,
      batchFirst = false,
      dtype = 'float32',
      generator = defaultGenerator,
    } = options;
    for (const [name, value] of [
      ['embedDim', embedDim],
      ['numHeads', numHeads],
      ['kdim', kdim],
      ['vdim', vdim],
    ] as const) {
      if (!Number.isInteger(value) || value <= 0)
        throw new RangeError(`MultiheadAttention: ${name} must be a positive integer, got ${formatValue(value)}`);
    }
    if (embedDim % numHeads !== 0)
      throw new RangeError(`MultiheadAttention: embed_dim (${embedDim}) must be divisible by num_heads (${numHeads})`);
    checkFlag('MultiheadAttention', 'bias', bias);
    checkFlag('MultiheadAttention', 'batchFirst', batchFirst);
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1))
      throw new RangeError(`MultiheadAttention: dropout must be between 0 and 1, got ${formatValue(dropout)}`);
    this.embedDim = embedDim;
    this.numHeads = numHeads;
    this.headDim = embedDim / numHeads;
    this.kdim = kdim;
    this.vdim = vdim;
    this.dropout = dropout;
    this.batchFirst = batchFirst;
    this.generator = generator;
    if (kdim === embedDim && vdim === embedDim) {
      this.in_proj_weight = xavierUniform_(allocateParameter([3 * embedDim, embedDim], dtype), 1, generator);
    } else {
      this.q_proj_weight = xavierUniform_(allocateParameter([embedDim, embedDim], dtype), 1, generator);
      this.k_proj_weight = xavierUniform_(allocateParameter([embedDim, kdim], dtype), 1, generator);
      this.v_proj_weight = xavierUniform_(allocateParameter([embedDim, vdim], dtype), 1, generator);
    }
    if (bias) this.in_proj_bias = zeros_(allocateParameter([3 * embedDim], dtype));
    this.out_proj = new Linear(embedDim, embedDim, { bias, dtype, generator });
    if (this.out_proj.bias) zeros_(this.out_proj.bias);
  }

  /**
   * Attends `query` [L, N, E] to `key` [S, N, kdim] / `value` [S, N, vdim] ([N, L, E] … with
   * batchFirst; unbatched [L, E] … too). Returns `[attnOutput, attnWeights | null]`: the output
   * has the query's layout; the weights are [N, L, S] averaged over heads, or [N, heads, L, S].
   * @param query - [L, N, E] ([N, L, E] with batchFirst) or unbatched [L, E], E = embedDim.
   * @param key - [S, N, kdim] ([N, S, kdim] with batchFirst) or unbatched [S, kdim].
   * @param value - [S, N, vdim] ([N, S, vdim] with batchFirst) or unbatched [S, vdim].
   * @param options - the masks, `needWeights` and `averageAttnWeights`, see
   *   {@link MultiheadAttentionForwardOptions}; unknown keys throw.
   */
  forward(query: Tensor, key: Tensor, value: Tensor, options: MultiheadAttentionForwardOptions = {}): [Tensor, Tensor | null] {
    checkOptions('MultiheadAttention.forward', options, FORWARD_OPTIONS);
    const { keyPaddingMask = null, needWeights = true, attnMask = null, averageAttnWeights = true } = options;
    const batched = query.ndim === 3;
    this.checkInputs(query, key, value, batched);
    // Work in [L, N, E]: the batch-first layout and an unbatched input are views of it.
    const seqFirst = (t: Tensor): Tensor => (batched ? (this.batchFirst ? transpose(t, 0, 1) : t) : unsqueeze(t, 1));
    const [q0, k0, v0] = [seqFirst(query), seqFirst(key), seqFirst(value)];
    const [L, N] = [q0.shape[0]!, q0.shape[1]!];
    const S = k0.shape[0]!;
    const [q, k, v] = this.project(q0, k0, v0);
    // [T, N, E] → [N, heads, T, headDim]
    const heads = (t: Tensor, len: number): Tensor => permute(reshape(t, [len, N, this.numHeads, this.headDim]), [1, 2, 0, 3]);
    const mask = this.mergeMasks(attnMask, keyPaddingMask, batched, N, L, S, q.dtype as 'float32' | 'float64');
    const [attended, weights] = scaledDotProductAttention(heads(q, L), heads(k, S), heads(v, S), {
      attnMask: mask,
      dropoutP: this.dropout,
      training: this.training,
      generator: this.generator,
    });
    // [N, heads, L, headDim] → [L, N, E]
    const merged = reshape(permute(attended, [2, 0, 1, 3]), [L, N, this.embedDim]);
    const out = this.out_proj.forward(merged);
    const output = batched ? (this.batchFirst ? transpose(out, 0, 1) : out) : squeeze(out, 1);
    if (!needWeights) return [output, null];
    const w = averageAttnWeights ? div(sum(weights, 1), this.numHeads) : weights;
    return [output, batched ? w : squeeze(w, 0)];
  }

  private checkInputs(query: Tensor, key: Tensor, value: Tensor, batched: boolean): void {
    const rank = batched ? 3 : 2;
    if ((query.ndim !== 2 && query.ndim !== 3) || key.ndim !== rank || value.ndim !== rank) {
      throw new RangeError(
        `MultiheadAttention: query, key and value must all be 3-D (batched) or 2-D (unbatched), got ${formatShape(query.shape)}, ${formatShape(key.shape)}, ${formatShape(value.shape)}`,
      );
    }
    const last = (t: Tensor): number => t.shape[t.ndim - 1]!;
    if (last(query) !== this.embedDim || last(key) !== this.kdim || last(value) !== this.vdim) {
      throw new RangeError(
        `MultiheadAttention: expected query, key, value features ${this.embedDim}, ${this.kdim}, ${this.vdim}, got ${last(query)}, ${last(key)}, ${last(value)}`,
      );
    }
    const seqDim = batched && this.batchFirst ? 1 : 0;
    if (
      key.shape[seqDim] !== value.shape[seqDim] ||
      (batched && (key.shape[1 - seqDim] !== query.shape[1 - seqDim] || value.shape[1 - seqDim] !== query.shape[1 - seqDim]))
    ) {
      throw new RangeError(
        `MultiheadAttention: key ${formatShape(key.shape)} and value ${formatShape(value.shape)} do not match query ${formatShape(query.shape)} in sequence or batch size`,
      );
    }
  }

  /** q, k, v through the input projections, each still [T, N, E]. */
  private project(query: Tensor, key: Tensor, value: Tensor): [Tensor, Tensor, Tensor] {
    const E = this.embedDim;
    const b = this.in_proj_bias;
    const bias = (i: number): Tensor | null => (b ? narrow(b, 0, i * E, E) : null);
    const packed = this.in_proj_weight;
    const weight = (i: number, separate: Parameter | null): Tensor => (packed ? narrow(packed, 0, i * E, E) : separate!);
    return [
      linear(query, weight(0, this.q_proj_weight), bias(0)),
      linear(key, weight(1, this.k_proj_weight), bias(1)),
      linear(value, weight(2, this.v_proj_weight), bias(2)),
    ];
  }

  /** The attention mask and the key padding mask as one additive mask broadcasting against [N, heads, L, S]. */
  private mergeMasks(
    attnMask: Tensor | null,
    keyPaddingMask: Tensor | null,
    batched: boolean,
    N: number,
    L: number,
    S: number,
    dtype: 'float32' | 'float64',
  ): Tensor | null {
    let mask: Tensor | null = null;
    if (attnMask) {
      const ok2d = attnMask.ndim === 2 && attnMask.shape[0] === L && attnMask.shape[1] === S;
      const ok3d = attnMask.ndim === 3 && attnMask.shape[0] === N * this.numHeads && attnMask.shape[1] === L && attnMask.shape[2] === S;
      if (!ok2d && !ok3d) {
        throw new RangeError(
          `MultiheadAttention: attnMask should be ${formatShape([L, S])} or ${formatShape([N * this.numHeads, L, S])}, got ${formatShape(attnMask.shape)}`,
        );
      }
      const m = additiveMask(attnMask, dtype, 'MultiheadAttention attnMask');
      mask = ok2d ? m : reshape(m, [N, this.numHeads, L, S]);
    }
    if (keyPaddingMask) {
      const expected = batched ? [N, S] : [S];
      if (keyPaddingMask.ndim !== expected.length || keyPaddingMask.shape.some((d, i) => d !== expected[i])) {
        throw new RangeError(
          `MultiheadAttention: keyPaddingMask should be ${formatShape(expected)}, got ${formatShape(keyPaddingMask.shape)}`,
        );
      }
      const padding = reshape(additiveMask(keyPaddingMask, dtype, 'MultiheadAttention keyPaddingMask'), [N, 1, 1, S]);
      mask = mask ? add(mask, padding) : padding;
    }
    return mask;
  }
}
