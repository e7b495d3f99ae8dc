import {
  Embedding,
  LayerNorm,
  Linear,
  Module,
  type Tensor,
  TransformerEncoder,
  TransformerEncoderLayer,
  add,
  checkOptions,
  formatShape,
  full,
  narrow,
  to,
  transpose,
} from '@loom/core';

/** The sizes of a character-level transformer (the spec of the `char-transformer` built-in). */
export interface CharTransformerOptions {
  /** Characters the model reads and predicts. */
  vocabSize: number;
  /** The longest context it reads (positions learned for each). */
  contextLength: number;
  /** Embedding width (default 64). */
  dModel?: number;
  /** Attention heads (default 4). */
  nhead?: number;
  /** Transformer blocks (default 2). */
  numLayers?: number;
  /** Hidden width of each block's feed-forward part (default 4·dModel). */
  dimFeedforward?: number;
  /** Dropout in the blocks (default 0). */
  dropout?: number;
}

const OPTIONS = ['vocabSize', 'contextLength', 'dModel', 'nhead', 'numLayers', 'dimFeedforward', 'dropout'] as const;

/**
 * A decoder-only character-level transformer: token embedding plus learned position embedding,
 * `numLayers` pre-norm TransformerEncoderLayers (GELU) under a causal mask, a final LayerNorm and
 * a linear head. It reads token ids [N, T] (float32, as the trainer's features are; T ≤
 * contextLength) and returns logits [N, vocabSize, T]: the class dimension second, which is the
 * layout CrossEntropyLoss takes with targets [N, T] (the next character at each position).
 */
export class CharTransformer extends Module {
  token_embedding: Embedding;
  position_embedding: Embedding;
  encoder: TransformerEncoder;
  head: Linear;
  readonly vocabSize: number;
  readonly contextLength: number;

  /**
   * Builds the layers with fresh parameters.
   * @param options - see {@link CharTransformerOptions}: `vocabSize` and `contextLength` required; every size must be a
   *   positive integer; unknown keys throw
   */
  constructor(options: CharTransformerOptions) {
    super();
    if (options === undefined || options === null)
      throw new TypeError('char-transformer: options { vocabSize, contextLength } are required');
    checkOptions('char-transformer', options, OPTIONS);
    const { vocabSize, contextLength, dModel = 64, nhead = 4, numLayers = 2, dimFeedforward = 4 * dModel, dropout = 0 } = options;
    for (const [name, value] of Object.entries({ vocabSize, contextLength, dModel, nhead, numLayers, dimFeedforward })) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`char-transformer: ${name} must be a positive integer, got ${value}`);
    }
    this.vocabSize = vocabSize;
    this.contextLength = contextLength;
    this.token_embedding = new Embedding(vocabSize, dModel);
    this.position_embedding = new Embedding(contextLength, dModel);
    const layer = new TransformerEncoderLayer(dModel, nhead, {
      dimFeedforward,
      dropout,
      activation: 'gelu',
      batchFirst: true,
      normFirst: true,
    });
    this.encoder = new TransformerEncoder(layer, numLayers, { norm: new LayerNorm(dModel) });
    this.head = new Linear(dModel, vocabSize);
  }

  /**
   * The next-token logits at every position.
   * @param tokens - token ids [N, T], 1 ≤ T ≤ `contextLength`, float32 (as the trainer's features are) or int32
   */
  forward(tokens: Tensor): Tensor {
    if (tokens.ndim !== 2 || tokens.shape[1]! < 1 || tokens.shape[1]! > this.contextLength) {
      throw new RangeError(
        `char-transformer: expected token ids [N, T] with 1 ≤ T ≤ ${this.contextLength}, got ${formatShape(tokens.shape)}`,
      );
    }
    const steps = tokens.shape[1]!;
    const ids = tokens.dtype === 'int32' ? tokens : to(tokens, 'int32');
    // Learned positions 0..T-1: a slice of the position table, broadcast over the batch.
    const x = add(this.token_embedding.forward(ids), narrow(this.position_embedding.weight, 0, 0, steps));
    const hidden = this.encoder.forward(x, { mask: causalMask(steps, x.dtype as 'float32' | 'float64') });
    return transpose(this.head.forward(hidden), 1, 2);
  }
}

/**
 * −∞ above the diagonal, 0 elsewhere: position t attends to positions ≤ t (PyTorch's generate_square_subsequent_mask).
 * @param size - the sequence length T: the mask is [T, T]
 * @param dtype - the mask's dtype, the attention scores'; default float32
 */
export function causalMask(size: number, dtype: 'float32' | 'float64' = 'float32'): Tensor {
  const mask = full([size, size], 0, { dtype });
  const m = mask.data();
  for (let i = 0; i < size; i++) for (let j = i + 1; j < size; j++) m[i * size + j] = -Infinity;
  return mask;
}
