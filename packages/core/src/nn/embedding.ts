import { formatValue } from '../util/format-value.js';
import type { DType } from '../dtype.js';
import { embedding } from '../ops/embedding.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { allocateParameter } from './allocate.js';
import { normal_ } from './init.js';
import { checkFeatures } from './linear.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';
import { checkFlag, optionKeys, type PositionalOr, positionalOptions } from '../util/options.js';

/** Options of `Embedding`, as `torch.nn.Embedding`. */
export interface EmbeddingModuleOptions {
  /** This row starts at zero and gets no gradient (negative counts from the end). */
  paddingIdx?: number;
  /** Produce a `RowSparseTensor` weight gradient. */
  sparse?: boolean;
  /** The floating dtype of the weight (default 'float32'). */
  dtype?: DType;
  /** Draws the initial values (default: the default generator). */
  generator?: Generator;
}

const EMBEDDING_MODULE_OPTIONS = optionKeys<EmbeddingModuleOptions>({ paddingIdx: true, sparse: true, dtype: true, generator: true });

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim`, indexed by int32 tensors.
 * `paddingIdx` may come positionally, as in PyTorch (`new Embedding(10, 3, 0)`); PyTorch's further
 * positional arguments (max_norm, …) are not supported: give `sparse` as an option.
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  /** The padding row, normalised to be non-negative; null when there is none. */
  readonly paddingIdx: number | null;
  readonly sparse: boolean;
  weight: Parameter;

  /**
   * @param numEmbeddings - rows of the table: valid indices are 0…numEmbeddings − 1.
   * @param embeddingDim - the size of each vector (columns of the [numEmbeddings, embeddingDim] weight).
   * @param args - optional `paddingIdx` (in [−numEmbeddings, numEmbeddings)), then optionally
   *   {@link EmbeddingModuleOptions} last; unknown keys throw.
   */
  constructor(numEmbeddings: number, embeddingDim: number, ...args: PositionalOr<[paddingIdx: number], EmbeddingModuleOptions>) {
    super();
    const options = positionalOptions<EmbeddingModuleOptions>('Embedding', args, ['paddingIdx'], EMBEDDING_MODULE_OPTIONS);
    const { paddingIdx, dtype = 'float32', generator = defaultGenerator } = options;
    const sparse = checkFlag('Embedding', 'sparse', options.sparse) ?? false;
    checkFeatures('Embedding', numEmbeddings, embeddingDim);
    if (paddingIdx !== undefined && (!Number.isInteger(paddingIdx) || paddingIdx < -numEmbeddings || paddingIdx >= numEmbeddings)) {
      throw new RangeError(`Embedding: paddingIdx must be within num_embeddings (${numEmbeddings}), got ${formatValue(paddingIdx)}`);
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = paddingIdx === undefined ? null : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
    this.sparse = sparse;
    this.weight = allocateParameter([numEmbeddings, embeddingDim], dtype);
    normal_(this.weight, 0, 1, generator);
    if (this.paddingIdx !== null) this.weight.data().fill(0, this.paddingIdx * embeddingDim, (this.paddingIdx + 1) * embeddingDim);
  }

  /** `num, dim` and the settings that differ from the defaults, as PyTorch. */
  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    if (this.sparse) s += ', sparse=True';
    return s;
  }

  /**
   * The rows of `weight` at `indices`, shape [...indices.shape, embeddingDim], as {@link embedding}.
   * @param indices - int32, any shape, each in [0, numEmbeddings); out-of-range indices throw.
   */
  forward(indices: Tensor): Tensor {
    return embedding(indices, this.weight, { paddingIdx: this.paddingIdx ?? undefined, sparse: this.sparse });
  }
}
