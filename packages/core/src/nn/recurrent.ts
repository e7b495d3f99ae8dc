import { formatValue } from '../util/format-value.js';
import type { DType } from '../dtype.js';
import { zeros } from '../ops/creation.js';
import { dropout } from '../ops/dropout.js';
import { cat, stack } from '../ops/join.js';
import { linear } from '../ops/matmul.js';
import { type CellWeights, gruCellFromProjection, lstmCellFromProjection } from '../ops/recurrent.js';
import { narrow, squeeze, transpose, unsqueeze } from '../ops/views.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkFlag, checkOptions, type PositionalOr, positionalOptions } from '../util/options.js';
import { allocateParameter } from './allocate.js';
import { uniform_ } from './init.js';
import { pyFloat } from './repr.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Options of `LSTM` and `GRU`, as PyTorch's (camelCased). */
export interface RNNOptions {
  /** Stacked layers; layer k > 0 reads the output of layer k − 1 (default 1). */
  numLayers?: number;
  /** Learn b_ih and b_hh (default true). */
  bias?: boolean;
  /** Input and output are [N, T, features] instead of [T, N, features] (the states stay [layers·directions, N, H]). */
  batchFirst?: boolean;
  /** Dropout probability on the outputs of every layer but the last, in training mode (default 0). */
  dropout?: number;
  /** A second direction reading the sequence backwards; outputs concatenate both (default false). */
  bidirectional?: boolean;
  /** The floating dtype of the weights and biases (default 'float32'). */
  dtype?: DType;
  /** Draws the initial values and the dropout masks (default: the default generator). */
  generator?: Generator;
}

const RNN_OPTIONS = ['numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional', 'dtype', 'generator'] as const;

/** PyTorch's positional arguments after the hidden size, in its order. */
type RNNPositional = [numLayers: number, bias: boolean, batchFirst: boolean, dropout: number, bidirectional: boolean];
const RNN_POSITIONAL = ['numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional'] as const;

/** The per-cell state a recurrence carries: [h] for a GRU, [h, c] for an LSTM. */
type CellStep = (inputGates: Tensor, state: Tensor[], weights: CellWeights) => Tensor[];

/**
 * What LSTM and GRU share, as PyTorch's `RNNBase`: parameters `weight_ih_l{k}[_reverse]`,
 * `weight_hh_l…`, `bias_ih_l…`, `bias_hh_l…` registered in PyTorch's order (layer by layer,
 * forward direction first) and initialised U(−1/√H, 1/√H); the loop over layers, directions and
 * time steps, with each layer's input projection computed for every time step in one matmul.
 */
abstract class RNNBase<State> extends Module<[input: Tensor, hx?: State | null], [Tensor, State]> {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  /** Draws the dropout masks between layers; the parallel trainer reseeds it per (step, chunk). */
  generator: Generator;
  /** The parameters under PyTorch's names: `weight_ih_l0`, `bias_hh_l1_reverse`, …. */
  [name: `weight_${string}` | `bias_${string}`]: Parameter | undefined;

  /** `input, hidden` and the settings that differ from the defaults, as PyTorch prints an RNN. */
  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (!this.bias) s += ', bias=False';
    if (this.batchFirst) s += ', batch_first=True';
    if (this.dropout !== 0) s += `, dropout=${pyFloat(this.dropout)}`;
    if (this.bidirectional) s += ', bidirectional=True';
    return s;
  }

  protected constructor(owner: string, gates: number, inputSize: number, hiddenSize: number, options: RNNOptions) {
    super();
    checkOptions(owner, options, RNN_OPTIONS);
    const {
      numLayers = 1,
      bias = true,
      batchFirst = false,
      dropout = 0,
      bidirectional = false,
      dtype = 'float32',
      generator = defaultGenerator,
    } = options;
    if (!Number.isInteger(inputSize) || inputSize < 0)
      throw new RangeError(`${owner}: inputSize must be a non-negative integer, got ${formatValue(inputSize)}`);
    if (!Number.isInteger(hiddenSize) || hiddenSize <= 0)
      throw new RangeError(`${owner}: hiddenSize must be a positive integer, got ${formatValue(hiddenSize)}`);
    if (!Number.isInteger(numLayers) || numLayers <= 0)
      throw new RangeError(`${owner}: numLayers must be a positive integer, got ${formatValue(numLayers)}`);
    if (!(dropout >= 0 && dropout <= 1))
      throw new RangeError(
        `${owner}: dropout should be a number in range [0, 1] representing the probability of an element being zeroed, got ${formatValue(dropout)}`,
      );
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    this.bias = checkFlag(owner, 'bias', bias)!;
    this.batchFirst = checkFlag(owner, 'batchFirst', batchFirst)!;
    this.dropout = dropout;
    this.bidirectional = checkFlag(owner, 'bidirectional', bidirectional)!;
    this.generator = generator;
    const directions = this.bidirectional ? 2 : 1;
    const stdv = 1 / Math.sqrt(hiddenSize);
    const own = this as unknown as Record<string, Parameter>;
    for (let layer = 0; layer < numLayers; layer++) {
      const layerInput = layer === 0 ? inputSize : hiddenSize * directions;
      for (let dir = 0; dir < directions; dir++) {
        const suffix = this.suffix(layer, dir);
        // Assigned as own properties: Module finds parameters there, and the parallel trainer
        // rebinds them there to views of its shared vector.
        own[`weight_ih${suffix}`] = allocateParameter([gates * hiddenSize, layerInput], dtype);
        own[`weight_hh${suffix}`] = allocateParameter([gates * hiddenSize, hiddenSize], dtype);
        if (bias) {
          own[`bias_ih${suffix}`] = allocateParameter([gates * hiddenSize], dtype);
          own[`bias_hh${suffix}`] = allocateParameter([gates * hiddenSize], dtype);
        }
      }
    }
    for (const p of this.parameters()) uniform_(p, -stdv, stdv, generator);
  }

  private suffix(layer: number, dir: number): string {
    return `_l${layer}${dir === 1 ? '_reverse' : ''}`;
  }

  private param(name: string): Parameter {
    const p = (this as unknown as Record<string, unknown>)[name];
    if (!(p instanceof Parameter)) throw new Error(`${this.constructor.name}: parameter ${name} is missing`);
    return p;
  }

  /** The weights of one layer and direction, looked up by name at every call (they may be rebound). */
  protected cellWeights(layer: number, dir: number): CellWeights {
    const s = this.suffix(layer, dir);
    return {
      weightIh: this.param(`weight_ih${s}`),
      weightHh: this.param(`weight_hh${s}`),
      biasIh: this.bias ? this.param(`bias_ih${s}`) : null,
      biasHh: this.bias ? this.param(`bias_hh${s}`) : null,
    };
  }

  /**
   * Runs the recurrence. `initial` holds the `stateCount` initial states ([h0] or [h0, c0], each
   * [layers·directions, N, H], or 2-D for an unbatched input), or null for zeros. Returns the
   * output and the final states, stacked as the initial ones.
   */
  protected run(owner: string, input: Tensor, initial: Tensor[] | null, stateCount: number, step: CellStep): [Tensor, Tensor[]] {
    const batched = input.ndim === 3;
    if (!batched && input.ndim !== 2) {
      throw new RangeError(
        `${owner}: expected input to be 2-D or 3-D but received ${input.ndim}-D tensor of shape ${formatShape(input.shape)}`,
      );
    }
    if (input.shape[input.ndim - 1] !== this.inputSize) {
      throw new RangeError(
        `${owner}: input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${input.shape[input.ndim - 1]}`,
      );
    }
    let x = batched ? (this.batchFirst ? transpose(input, 0, 1) : input) : unsqueeze(input, 1);
    const [steps, n] = [x.shape[0]!, x.shape[1]!];
    if (steps === 0) throw new RangeError(`${owner}: the input sequence is empty (length 0)`);
    const directions = this.bidirectional ? 2 : 1;
    if (initial && initial.length !== stateCount)
      throw new TypeError(`${owner}: expected ${stateCount} initial state tensors, got ${initial.length}`);
    const stateShape = [this.numLayers * directions, n, this.hiddenSize];
    const states = initial?.map((s, i) => {
      const expected = batched ? stateShape : [stateShape[0]!, stateShape[2]!];
      if (s.ndim !== expected.length || s.shape.some((d, k) => d !== expected[k])) {
        throw new RangeError(
          `${owner}: expected hidden state ${i === 0 ? 'h0' : 'c0'} of size ${formatShape(expected)}, got ${formatShape(s.shape)}`,
        );
      }
      return batched ? s : unsqueeze(s, 1);
    });
    const finals: Tensor[][] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      const outputs: Tensor[] = [];
      for (let dir = 0; dir < directions; dir++) {
        const k = layer * directions + dir;
        const w = this.cellWeights(layer, dir);
        const projected = linear(x, w.weightIh, w.biasIh);
        let state = states
          ? states.map((s) => squeeze(narrow(s, 0, k, 1), 0))
          : Array.from({ length: stateCount }, () => zeros([n, this.hiddenSize], { dtype: x.dtype }));
        const hs = new Array<Tensor>(steps);
        for (let s = 0; s < steps; s++) {
          const t = dir === 0 ? s : steps - 1 - s;
          state = step(squeeze(narrow(projected, 0, t, 1), 0), state, w);
          hs[t] = state[0]!;
        }
        outputs.push(stack(hs, 0));
        finals.push(state);
      }
      x = directions === 1 ? outputs[0]! : cat(outputs, 2);
      if (layer + 1 < this.numLayers) x = dropout(x, this.dropout, this.training, this.generator);
    }
    const last = Array.from({ length: stateCount }, (_, i) =>
      stack(
        finals.map((f) => f[i]!),
        0,
      ),
    );
    if (!batched) return [squeeze(x, 1), last.map((s) => squeeze(s, 1))];
    return [this.batchFirst ? transpose(x, 0, 1) : x, last];
  }
}

/**
 * Long short-term memory, as `torch.nn.LSTM`: for each layer and time step
 * i, f, g, o = σ, σ, tanh, σ of (x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh), c' = f·c + i·g, h' = o·tanh(c').
 * `forward(input, [h0, c0]?)` returns `[output, [hN, cN]]`.
 */
export class LSTM extends RNNBase<[Tensor, Tensor]> {
  /**
   * `new LSTM(10, 20, 2)` as in PyTorch (numLayers, bias, batchFirst, dropout, bidirectional), or the same as options.
   * @param inputSize - I, the features of each input step; an integer ≥ 0.
   * @param hiddenSize - H, the features of the hidden and cell states; an integer ≥ 1.
   * @param args - optional `numLayers` (default 1), `bias` (true), `batchFirst` (false), `dropout`
   *   (0) and `bidirectional` (false) in PyTorch's order, then optionally {@link RNNOptions} last;
   *   unknown keys throw.
   */
  constructor(inputSize: number, hiddenSize: number, ...args: PositionalOr<RNNPositional, RNNOptions>) {
    super('LSTM', 4, inputSize, hiddenSize, positionalOptions<RNNOptions>('LSTM', args, RNN_POSITIONAL, RNN_OPTIONS));
  }

  /**
   * Runs the sequence through every layer: `[output, [hN, cN]]`, output [T, N, D·H] (D = 2 when
   * bidirectional; [N, T, D·H] with `batchFirst`, [T, D·H] unbatched), the final states stacked as `hx`.
   * @param input - [T, N, I] ([N, T, I] with `batchFirst`) or unbatched [T, I]; T ≥ 1.
   * @param hx - the initial states `[h0, c0]`, each [numLayers·D, N, H] ([numLayers·D, H]
   *   unbatched); absent or null: zeros.
   */
  forward(input: Tensor, hx?: [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]] {
    const [output, [h, c]] = this.run('LSTM', input, hx ? [...hx] : null, 2, lstmStep);
    return [output, [h!, c!]];
  }
}

/**
 * Gated recurrent unit, as `torch.nn.GRU`: r = σ(x_r + h_r), z = σ(x_z + h_z),
 * n = tanh(x_n + r·h_n), h' = (1 − z)·n + z·h, with x_* = x·W_i*ᵀ + b_i*, h_* = h·W_h*ᵀ + b_h*.
 * `forward(input, h0?)` returns `[output, hN]`.
 */
export class GRU extends RNNBase<Tensor> {
  /**
   * `new GRU(10, 20, 2)` as in PyTorch (numLayers, bias, batchFirst, dropout, bidirectional), or the same as options.
   * @param inputSize - I, the features of each input step; an integer ≥ 0.
   * @param hiddenSize - H, the features of the hidden state; an integer ≥ 1.
   * @param args - optional `numLayers` (default 1), `bias` (true), `batchFirst` (false), `dropout`
   *   (0) and `bidirectional` (false) in PyTorch's order, then optionally {@link RNNOptions} last;
   *   unknown keys throw.
   */
  constructor(inputSize: number, hiddenSize: number, ...args: PositionalOr<RNNPositional, RNNOptions>) {
    super('GRU', 3, inputSize, hiddenSize, positionalOptions<RNNOptions>('GRU', args, RNN_POSITIONAL, RNN_OPTIONS));
  }

  /**
   * Runs the sequence through every layer: `[output, hN]`, output [T, N, D·H] (D = 2 when
   * bidirectional; [N, T, D·H] with `batchFirst`, [T, D·H] unbatched), hN stacked as `hx`.
   * @param input - [T, N, I] ([N, T, I] with `batchFirst`) or unbatched [T, I]; T ≥ 1.
   * @param hx - the initial hidden state h0, [numLayers·D, N, H] ([numLayers·D, H] unbatched);
   *   absent or null: zeros.
   */
  forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor] {
    const [output, [h]] = this.run('GRU', input, hx ? [hx] : null, 1, gruStep);
    return [output, h!];
  }
}

function lstmStep(inputGates: Tensor, [h, c]: Tensor[], w: CellWeights): Tensor[] {
  return lstmCellFromProjection(inputGates, h!, c!, w);
}

function gruStep(inputGates: Tensor, [h]: Tensor[], w: CellWeights): Tensor[] {
  return [gruCellFromProjection(inputGates, h!, w)];
}
