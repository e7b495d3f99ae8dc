import { formatValue } from '../util/format-value.js';
import type { DType } from '../dtype.js';
import { gelu, relu } from '../ops/activations.js';
import { add } from '../ops/binary.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkFlag, checkOptions, type PositionalOr, positionalOptions } from '../util/options.js';
import { MultiheadAttention } from './attention.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { ModuleList } from './module-list.js';
import { LayerNorm } from './normalization.js';

/** The feed-forward activation: PyTorch's names, or any tensor function. */
export type TransformerActivation = 'relu' | 'gelu' | ((x: Tensor) => Tensor);

/** Options of `TransformerEncoderLayer`, as PyTorch's (camelCased). */
export interface TransformerEncoderLayerOptions {
  /** Hidden size of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout after attention, inside and after the feed-forward block (default 0.1). */
  dropout?: number;
  /** 'relu' (default), 'gelu' (exact, erf) or a function. */
  activation?: TransformerActivation;
  /** The `eps` of both LayerNorms (default 1e-5). */
  layerNormEps?: number;
  /** Input and output are [N, S, E] instead of [S, N, E] (default false). */
  batchFirst?: boolean;
  /** Pre-norm: x + sa(norm1(x)), x + ff(norm2(x)); default false (post-norm: norm1(x + sa(x)), norm2(x + ff(x))). */
  normFirst?: boolean;
  /** The floating dtype of the parameters (default 'float32'). */
  dtype?: DType;
  /** Draws the initial values and the dropout masks (default: the default generator). */
  generator?: Generator;
}

const LAYER_OPTIONS = ['dimFeedforward', 'dropout', 'activation', 'layerNormEps', 'batchFirst', 'normFirst', 'dtype', 'generator'] as const;

/** Options of `TransformerEncoderLayer.forward`. */
export interface TransformerEncoderLayerForwardOptions {
  /** Attention mask [S, S] or [N·heads, S, S] (bool true = may not attend, float = added), e.g. causal. */
  srcMask?: Tensor | null;
  /** [N, S] ([S] unbatched): true (bool) marks padding positions no query attends to; a float mask is added. */
  srcKeyPaddingMask?: Tensor | null;
}

/**
 * One transformer encoder block, as `torch.nn.TransformerEncoderLayer`: self-attention
 * (`self_attn`) and a feed-forward block `linear2(dropout(activation(linear1(x))))`, each with a
 * residual connection and a LayerNorm (`norm1`, `norm2`), before (normFirst) or after it.
 */
export class TransformerEncoderLayer extends Module<[src: Tensor, options?: TransformerEncoderLayerForwardOptions], Tensor> {
  // Declared in PyTorch's registration order: the state dict's keys follow it.
  self_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  readonly dModel: number;
  readonly nhead: number;
  readonly normFirst: boolean;
  readonly activation: TransformerActivation;
  private readonly options: TransformerEncoderLayerOptions;

  /**
   * The arguments after `nhead` may come positionally in PyTorch's order (dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst).
   * @param dModel - E, the features of each position; divisible by `nhead`.
   * @param nhead - attention heads of `self_attn`.
   * @param args - optional `dimFeedforward` (default 2048), `dropout` (0.1), `activation` ('relu'),
   *   `layerNormEps` (1e-5), `batchFirst` (false), `normFirst` (false) in PyTorch's order, then
   *   optionally {@link TransformerEncoderLayerOptions} last; unknown keys throw.
   */
  constructor(
    dModel: number,
    nhead: number,
    ...args: PositionalOr<
      [
        dimFeedforward: number,
        dropout: number,
        activation: TransformerActivation,
        layerNormEps: number,
        batchFirst: boolean,
        normFirst: boolean,
      ],
      TransformerEncoderLayerOptions
    >
  ) {
    super();
    const positional = ['dimFeedforward', 'dropout', 'activation', 'layerNormEps', 'batchFirst', 'normFirst'] as const;
    const options = positionalOptions<TransformerEncoderLayerOptions>('TransformerEncoderLayer', args, positional, LAYER_OPTIONS);
    const {
      dimFeedforward = 2048,
      dropout = 0.1,
      activation = 'relu',
      layerNormEps = 1e-5,
      batchFirst = false,
      normFirst = false,
      dtype = 'float32',
      generator = defaultGenerator,
    } = options;
    if (activation !== 'relu' && activation !== 'gelu' && typeof activation !== 'function') {
      throw new RangeError(`TransformerEncoderLayer: activation should be 'relu', 'gelu' or a function, not ${formatValue(activation)}`);
    }
    if (!Number.isInteger(dimFeedforward) || dimFeedforward <= 0) {
      throw new RangeError(`TransformerEncoderLayer: dimFeedforward must be a positive integer, got ${formatValue(dimFeedforward)}`);
    }
    checkFlag('TransformerEncoderLayer', 'batchFirst', batchFirst);
    checkFlag('TransformerEncoderLayer', 'normFirst', normFirst);
    this.self_attn = new MultiheadAttention(dModel, nhead, { dropout, batchFirst, dtype, generator });
    this.linear1 = new Linear(dModel, dimFeedforward, { dtype, generator });
    this.dropout = new Dropout(dropout, { generator });
    this.linear2 = new Linear(dimFeedforward, dModel, { dtype, generator });
    this.norm1 = new LayerNorm(dModel, { eps: layerNormEps, dtype });
    this.norm2 = new LayerNorm(dModel, { eps: layerNormEps, dtype });
    this.dropout1 = new Dropout(dropout, { generator });
    this.dropout2 = new Dropout(dropout, { generator });
    this.dModel = dModel;
    this.nhead = nhead;
    this.normFirst = normFirst;
    this.activation = activation;
    this.options = { ...options };
  }

  /**
   * `src` [S, N, E] ([N, S, E] with batchFirst, or [S, E] unbatched) → the same shape.
   * @param src - the sequence, [S, N, E] ([N, S, E] with batchFirst) or unbatched [S, E].
   * @param options - `srcMask` and `srcKeyPaddingMask`, see {@link TransformerEncoderLayerForwardOptions};
   *   unknown keys throw.
   */
  forward(src: Tensor, options: TransformerEncoderLayerForwardOptions = {}): Tensor {
    checkOptions('TransformerEncoderLayer.forward', options, ['srcMask', 'srcKeyPaddingMask']);
    const { srcMask = null, srcKeyPaddingMask = null } = options;
    const attend = (x: Tensor): Tensor =>
      this.dropout1.forward(
        this.self_attn.forward(x, x, x, { attnMask: srcMask, keyPaddingMask: srcKeyPaddingMask, needWeights: false })[0],
      );
    let x = src;
    if (this.normFirst) {
      x = add(x, attend(this.norm1.forward(x)));
      return add(x, this.feedForward(this.norm2.forward(x)));
    }
    x = this.norm1.forward(add(x, attend(x)));
    return this.norm2.forward(add(x, this.feedForward(x)));
  }

  private feedForward(x: Tensor): Tensor {
    const a = this.activation;
    const hidden = this.linear1.forward(x);
    const activated = a === 'relu' ? relu(hidden) : a === 'gelu' ? gelu(hidden) : a(hidden);
    return this.dropout2.forward(this.linear2.forward(this.dropout.forward(activated)));
  }

  /** A new layer with the same options and a copy of this one's parameters (PyTorch's deepcopy in TransformerEncoder). */
  copy(): TransformerEncoderLayer {
    const layer = new TransformerEncoderLayer(this.dModel, this.nhead, { ...this.options, dtype: this.linear1.weight.dtype });
    layer.loadStateDict(this.stateDict());
    layer.train(this.training);
    return layer;
  }
}

/** Options of `TransformerEncoder`. */
export interface TransformerEncoderOptions {
  /** Applied to the output of the last layer (e.g. a LayerNorm for pre-norm stacks). */
  norm?: Module | null;
}

/** Options of `TransformerEncoder.forward`. */
export interface TransformerEncoderForwardOptions {
  /** Attention mask for every layer (see TransformerEncoderLayer's srcMask). */
  mask?: Tensor | null;
  /** Key padding mask for every layer (see TransformerEncoderLayer's srcKeyPaddingMask). */
  srcKeyPaddingMask?: Tensor | null;
}

/**
 * A stack of `numLayers` copies of `encoderLayer` (`layers.0`, `layers.1`, …, each starting with
 * the given layer's parameters, as PyTorch's deep copies do) and an optional final `norm`, as
 * `torch.nn.TransformerEncoder`.
 */
export class TransformerEncoder extends Module<[src: Tensor, options?: TransformerEncoderForwardOptions], Tensor> {
  layers: ModuleList<TransformerEncoderLayer>;
  norm: Module | null;
  readonly numLayers: number;

  /**
   * @param encoderLayer - the layer copied `numLayers` times (its options and parameters); it is
   *   not itself part of the stack.
   * @param numLayers - how many copies to stack; a positive integer.
   * @param options - the final `norm` (default none), see {@link TransformerEncoderOptions};
   *   unknown keys throw.
   */
  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, options: TransformerEncoderOptions = {}) {
    super();
    checkOptions('TransformerEncoder', options, ['norm']);
    if (!(encoderLayer instanceof TransformerEncoderLayer))
      throw new TypeError('TransformerEncoder: encoderLayer must be a TransformerEncoderLayer');
    if (!Number.isInteger(numLayers) || numLayers <= 0)
      throw new RangeError(`TransformerEncoder: numLayers must be a positive integer, got ${formatValue(numLayers)}`);
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => encoderLayer.copy()));
    this.norm = options.norm ?? null;
    this.numLayers = numLayers;
  }

  /**
   * `src` through every layer in turn, then `norm` if any; the output has the shape of `src`.
   * @param src - the sequence, [S, N, E] ([N, S, E] with batchFirst) or unbatched [S, E].
   * @param options - `mask` and `srcKeyPaddingMask`, passed to every layer, see
   *   {@link TransformerEncoderForwardOptions}; unknown keys throw.
   */
  forward(src: Tensor, options: TransformerEncoderForwardOptions = {}): Tensor {
    checkOptions('TransformerEncoder.forward', options, ['mask', 'srcKeyPaddingMask']);
    let x = src;
    for (const layer of this.layers)
      x = layer.forward(x, { srcMask: options.mask ?? null, srcKeyPaddingMask: options.srcKeyPaddingMask ?? null });
    return this.norm ? this.norm.forward(x) : x;
  }
}
