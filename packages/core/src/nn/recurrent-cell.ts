import { formatValue } from '../util/format-value.js';
import type { DType } from '../dtype.js';
import { zeros } from '../ops/creation.js';
import { type CellWeights, gruCell, lstmCell } from '../ops/recurrent.js';
import { squeeze, unsqueeze } from '../ops/views.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkFlag, checkOptions, type PositionalOr, positionalOptions } from '../util/options.js';
import { allocateParameter } from './allocate.js';
import { uniform_ } from './init.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';

/** Options of `LSTMCell` and `GRUCell`. */
export interface RNNCellOptions {
  /** Learn b_ih and b_hh (default true). */
  bias?: boolean;
  /** The floating dtype of the weights and biases (default 'float32'). */
  dtype?: DType;
  /** Draws the initial values (default: the default generator). */
  generator?: Generator;
}

const CELL_OPTIONS = ['bias', 'dtype', 'generator'] as const;

/** `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh` as PyTorch's RNNCellBase, initialised U(−1/√H, 1/√H). */
abstract class RNNCellBase<State> extends Module<[input: Tensor, hx?: State | null], State> {
  weight_ih: Parameter;
  weight_hh: Parameter;
  bias_ih: Parameter | null = null;
  bias_hh: Parameter | null = null;
  readonly inputSize: number;
  readonly hiddenSize: number;

  /** `input, hidden` and `bias=False` without biases, as PyTorch prints an RNN cell. */
  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.bias_ih === null ? ', bias=False' : ''}`;
  }

  protected constructor(owner: string, gates: number, inputSize: number, hiddenSize: number, options: RNNCellOptions) {
    super();
    checkOptions(owner, options, CELL_OPTIONS);
    const { bias = true, dtype = 'float32', generator = defaultGenerator } = options;
    if (!Number.isInteger(inputSize) || inputSize < 0 || !Number.isInteger(hiddenSize) || hiddenSize <= 0) {
      throw new RangeError(
        `${owner}: inputSize must be a non-negative and hiddenSize a positive integer, got ${formatValue(inputSize)}, ${formatValue(hiddenSize)}`,
      );
    }
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.weight_ih = allocateParameter([gates * hiddenSize, inputSize], dtype);
    this.weight_hh = allocateParameter([gates * hiddenSize, hiddenSize], dtype);
    if (checkFlag(owner, 'bias', bias)!) {
      this.bias_ih = allocateParameter([gates * hiddenSize], dtype);
      this.bias_hh = allocateParameter([gates * hiddenSize], dtype);
    }
    const stdv = 1 / Math.sqrt(hiddenSize);
    for (const p of this.parameters()) uniform_(p, -stdv, stdv, generator);
  }

  protected weights(): CellWeights {
    return { weightIh: this.weight_ih, weightHh: this.weight_hh, biasIh: this.bias_ih, biasHh: this.bias_hh };
  }

  /** The input as [N, I] (an unbatched [I] gets N = 1), and a zero state when none is given. */
  protected batch(owner: string, input: Tensor, state: Tensor | undefined): [Tensor, Tensor] {
    if ((input.ndim !== 1 && input.ndim !== 2) || input.shape[input.ndim - 1] !== this.inputSize) {
      throw new RangeError(`${owner}: expected input [N, ${this.inputSize}] or [${this.inputSize}], got ${formatShape(input.shape)}`);
    }
    const x = input.ndim === 1 ? unsqueeze(input, 0) : input;
    const h = state ? (input.ndim === 1 ? unsqueeze(state, 0) : state) : zeros([x.shape[0]!, this.hiddenSize], { dtype: input.dtype });
    if (h.ndim !== 2 || h.shape[0] !== x.shape[0] || h.shape[1] !== this.hiddenSize) {
      throw new RangeError(`${owner}: expected a hidden state [${x.shape[0]}, ${this.hiddenSize}], got ${formatShape(state!.shape)}`);
    }
    return [x, h];
  }
}

/** One LSTM step as a module, as `torch.nn.LSTMCell`: `forward(input, [h, c]?)` → `[h', c']`. */
export class LSTMCell extends RNNCellBase<[Tensor, Tensor]> {
  /**
   * `new LSTMCell(10, 20, false)` as in PyTorch (bias), or `{ bias: false }`.
   * @param inputSize - I, the features of each input row; an integer ≥ 0.
   * @param hiddenSize - H, the features of the hidden and cell states; an integer ≥ 1.
   * @param args - optional `bias` (default true), then optionally {@link RNNCellOptions} last;
   *   unknown keys throw.
   */
  constructor(inputSize: number, hiddenSize: number, ...args: PositionalOr<[bias: boolean], RNNCellOptions>) {
    super('LSTMCell', 4, inputSize, hiddenSize, positionalOptions<RNNCellOptions>('LSTMCell', args, ['bias'], CELL_OPTIONS));
  }

  /**
   * One LSTM step: the next hidden and cell states `[h', c']`, each [N, H] ([H] for an unbatched input).
   * @param input - [N, I] or unbatched [I].
   * @param hx - the states `[h, c]`, each [N, H] ([H] unbatched); absent or null: zeros.
   */
  forward(input: Tensor, hx?: [Tensor, Tensor] | null): [Tensor, Tensor] {
    const [x, h] = this.batch('LSTMCell', input, hx?.[0]);
    const [, c] = this.batch('LSTMCell', input, hx?.[1]);
    const [hNext, cNext] = lstmCell(x, h, c, this.weights());
    return input.ndim === 1 ? [squeeze(hNext, 0), squeeze(cNext, 0)] : [hNext, cNext];
  }
}

/** One GRU step as a module, as `torch.nn.GRUCell`: `forward(input, h?)` → `h'`. */
export class GRUCell extends RNNCellBase<Tensor> {
  /**
   * `new GRUCell(10, 20, false)` as in PyTorch (bias), or `{ bias: false }`.
   * @param inputSize - I, the features of each input row; an integer ≥ 0.
   * @param hiddenSize - H, the features of the hidden state; an integer ≥ 1.
   * @param args - optional `bias` (default true), then optionally {@link RNNCellOptions} last;
   *   unknown keys throw.
   */
  constructor(inputSize: number, hiddenSize: number, ...args: PositionalOr<[bias: boolean], RNNCellOptions>) {
    super('GRUCell', 3, inputSize, hiddenSize, positionalOptions<RNNCellOptions>('GRUCell', args, ['bias'], CELL_OPTIONS));
  }

  /**
   * One GRU step: the next hidden state h', [N, H] ([H] for an unbatched input).
   * @param input - [N, I] or unbatched [I].
   * @param hx - the hidden state h, [N, H] ([H] unbatched); absent or null: zeros.
   */
  forward(input: Tensor, hx?: Tensor | null): Tensor {
    const [x, h] = this.batch('GRUCell', input, hx ?? undefined);
    const hNext = gruCell(x, h, this.weights());
    return input.ndim === 1 ? squeeze(hNext, 0) : hNext;
  }
}
