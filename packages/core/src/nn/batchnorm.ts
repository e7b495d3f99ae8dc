import { formatValue } from '../util/format-value.js';
import type { DType } from '../dtype.js';
import { persistent } from '../memory/context.js';
import { batchNorm, batchNormWithStatistics, type BatchStatistics, updateRunningStatistics } from '../ops/batch-norm.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkFlag, type PositionalOr, positionalOptions } from '../util/options.js';
import { allocateParameter } from './allocate.js';
import { ones_, zeros_ } from './init.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';

/** Options of `BatchNorm1d` / `BatchNorm2d`, as PyTorch's. */
export interface BatchNormModuleOptions {
  /** Added to the variance before its square root (default 1e-5, ≥ 0). */
  eps?: number;
  /** Weight of each batch in the running statistics (default 0.1); null: their cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel scale and shift (default true). */
  affine?: boolean;
  /** Keep running statistics for eval mode (default true); without them eval uses batch statistics too. */
  trackRunningStats?: boolean;
  /** The floating dtype of the parameters and running statistics (default 'float32'). */
  dtype?: DType;
}

const OPTION_KEYS = ['eps', 'momentum', 'affine', 'trackRunningStats', 'dtype'] as const;

/** PyTorch's positional arguments after `num_features`, in its order. */
type BatchNormPositional = [eps: number, momentum: number | null, affine: boolean, trackRunningStats: boolean];
const POSITIONAL = ['eps', 'momentum', 'affine', 'trackRunningStats'] as const;

/**
 * Batch normalisation over the channels (dim 1), as PyTorch's `_BatchNorm` (the base of
 * BatchNorm1d and BatchNorm2d). Buffers, as in PyTorch's state dict: `running_mean`, `running_var`
 * and `num_batches_tracked` (int64 in PyTorch, int32 here; PyTorch's load into it). In the
 * data-parallel trainer the statistics are each micro-batch's, tracked in chunk order (see
 * `statisticsSink` and the README).
 */
export abstract class BatchNorm extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  /**
   * Where a training-mode forward sends its batch statistics instead of tracking them; null (the
   * default) tracks them at once, as PyTorch. The data-parallel trainer sets it on its worker
   * replicas to record each micro-batch's statistics, and tracks them (`trackStatistics`) in
   * chunk order after the step: what one thread running the chunks one after another computes.
   */
  statisticsSink: ((statistics: BatchStatistics) => void) | null = null;

  /**
   * @param owner - the subclass's name, used in error messages (`'BatchNorm2d'`).
   * @param numFeatures - C, the number of channels (dim 1 of the input), a positive integer.
   * @param args - the subclass constructor's arguments after `numFeatures`: `eps`, `momentum`,
   *   `affine`, `trackRunningStats` in PyTorch's order, then optionally {@link BatchNormModuleOptions}.
   */
  constructor(owner: string, numFeatures: number, args: PositionalOr<BatchNormPositional, BatchNormModuleOptions>) {
    super();
    const options = positionalOptions<BatchNormModuleOptions>(owner, args, [...POSITIONAL], [...OPTION_KEYS]);
    const { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, dtype = 'float32' } = options;
    if (!Number.isInteger(numFeatures) || numFeatures < 1)
      throw new RangeError(`${owner}: numFeatures must be a positive integer, got ${formatValue(numFeatures)}`);
    if (typeof eps !== 'number' || !(eps >= 0)) throw new RangeError(`${owner}: eps must be a number ≥ 0, got ${formatValue(eps)}`);
    if (momentum !== null && (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1))) {
      throw new RangeError(`${owner}: momentum must be a number in [0, 1] or null, got ${formatValue(momentum)}`);
    }
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = checkFlag(owner, 'affine', affine)!;
    this.trackRunningStats = checkFlag(owner, 'trackRunningStats', trackRunningStats)!;
    this.weight = affine ? ones_(allocateParameter([numFeatures], dtype)) : null;
    this.bias = affine ? zeros_(allocateParameter([numFeatures], dtype)) : null;
    const buffer = (fill: number, type: DType, shape: number[]): Tensor =>
      persistent(() => {
        const t = Tensor.empty(shape, type);
        t.data().fill(fill);
        return t;
      });
    this.registerBuffer('running_mean', trackRunningStats ? buffer(0, dtype, [numFeatures]) : null);
    this.registerBuffer('running_var', trackRunningStats ? buffer(1, dtype, [numFeatures]) : null);
    this.registerBuffer('num_batches_tracked', trackRunningStats ? buffer(0, 'int32', []) : null);
  }

  get runningMean(): Tensor | null {
    return this.getBuffer('running_mean');
  }

  get runningVar(): Tensor | null {
    return this.getBuffer('running_var');
  }

  /** Training-mode calls so far (int32 scalar), null without running statistics. */
  get numBatchesTracked(): Tensor | null {
    return this.getBuffer('num_batches_tracked');
  }

  /**
   * Refuses an input of the wrong rank, naming the expected one.
   * @param input - the tensor given to `forward`.
   */
  protected abstract checkInput(input: Tensor): void;

  /**
   * Normalises `input` per channel: with the batch's statistics in training mode (tracking them in
   * the running ones unless `statisticsSink` takes them), with the running statistics in eval mode.
   * @param input - floating-point, [N, C, *] with C = `numFeatures` and the rank the subclass takes;
   *   training needs more than one value per channel.
   */
  forward(input: Tensor): Tensor {
    this.checkInput(input);
    if (input.shape[1] !== this.numFeatures) {
      throw new RangeError(
        `${this.constructor.name}: expected ${this.numFeatures} channels (dim 1), got input ${formatShape(input.shape)}`,
      );
    }
    // Without running statistics, eval mode normalises with the batch's too (as PyTorch).
    if (!this.training && this.runningMean) {
      return batchNorm(input, this.runningMean, this.runningVar, { weight: this.weight, bias: this.bias, training: false, eps: this.eps });
    }
    const [output, statistics] = batchNormWithStatistics(input, { weight: this.weight, bias: this.bias, eps: this.eps });
    if (this.training && this.trackRunningStats) {
      if (this.statisticsSink) this.statisticsSink(statistics);
      else this.trackStatistics(statistics);
    }
    return output;
  }

  /**
   * What a training-mode forward does with its batch's statistics: counts the batch in
   * `num_batches_tracked`, then moves the running statistics towards the batch's by `momentum`
   * (null: by 1/count, their cumulative average). Nothing without running statistics.
   */
  /**
   * @param statistics - one training-mode batch's per-channel mean and biased variance, as
   *   {@link batchNormWithStatistics} returns them (or `statisticsSink` received them).
   */
  trackStatistics(statistics: BatchStatistics): void {
    const count = this.numBatchesTracked;
    let factor = this.momentum ?? 0;
    if (count) {
      const c = count.data();
      c[0] = c[0]! + 1;
      factor = this.momentum ?? 1 / c[0]!;
    }
    updateRunningStatistics(this.runningMean, this.runningVar, statistics, factor);
  }
}

/**
 * Batch normalisation of [N, C] or [N, C, L] inputs, as `torch.nn.BatchNorm1d`: `new
 * BatchNorm1d(16)`, `new BatchNorm1d(16, 1e-5, 0.1)` (PyTorch's order) or `new BatchNorm1d(16, { momentum: null })`.
 */
export class BatchNorm1d extends BatchNorm {
  /**
   * @param numFeatures - C, the number of channels (dim 1 of the input), a positive integer.
   * @param args - optional `eps` (default 1e-5), `momentum` (default 0.1; null: cumulative
   *   average), `affine` (default true), `trackRunningStats` (default true) in PyTorch's order, then
   *   optionally {@link BatchNormModuleOptions} last; unknown keys throw.
   */
  constructor(numFeatures: number, ...args: PositionalOr<BatchNormPositional, BatchNormModuleOptions>) {
    super('BatchNorm1d', numFeatures, args);
  }

  /**
   * Throws unless `input` is 2-D [N, C] or 3-D [N, C, L].
   * @param input - the tensor given to `forward`.
   */
  protected checkInput(input: Tensor): void {
    if (input.ndim !== 2 && input.ndim !== 3)
      throw new RangeError(`BatchNorm1d: expected 2D or 3D input (got ${input.ndim}D input ${formatShape(input.shape)})`);
  }
}

/** Batch normalisation of [N, C, H, W] inputs, as `torch.nn.BatchNorm2d` (arguments as BatchNorm1d's). */
export class BatchNorm2d extends BatchNorm {
  /**
   * @param numFeatures - C, the number of channels (dim 1 of the input), a positive integer.
   * @param args - optional `eps` (default 1e-5), `momentum` (default 0.1; null: cumulative
   *   average), `affine` (default true), `trackRunningStats` (default true) in PyTorch's order, then
   *   optionally {@link BatchNormModuleOptions} last; unknown keys throw.
   */
  constructor(numFeatures: number, ...args: PositionalOr<BatchNormPositional, BatchNormModuleOptions>) {
    super('BatchNorm2d', numFeatures, args);
  }

  /**
   * Throws unless `input` is 4-D [N, C, H, W].
   * @param input - the tensor given to `forward`.
   */
  protected checkInput(input: Tensor): void {
    if (input.ndim !== 4) throw new RangeError(`BatchNorm2d: expected 4D input (got ${input.ndim}D input ${formatShape(input.shape)})`);
  }
}
