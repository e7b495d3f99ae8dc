import type { DType } from '../dtype.js';
import { persistent } from '../memory/context.js';
import { batchNorm } from '../ops/batch-norm.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { allocateParameter } from './allocate.js';
import { ones_, zeros_ } from './init.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';

/** Options of `BatchNorm1d` / `BatchNorm2d`, as PyTorch's. */
export interface BatchNormModuleOptions {
  eps?: number;
  /** Weight of each batch in the running statistics (default 0.1); null: their cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel scale and shift (default true). */
  affine?: boolean;
  /** Keep running statistics for eval mode (default true); without them eval uses batch statistics too. */
  trackRunningStats?: boolean;
  dtype?: DType;
}

const OPTION_KEYS = ['eps', 'momentum', 'affine', 'trackRunningStats', 'dtype'] as const;

/**
 * Batch normalisation over the channels (dim 1), as PyTorch's `_BatchNorm`. Buffers, as in
 * PyTorch's state dict: `running_mean`, `running_var` and `num_batches_tracked` (int64 in
 * PyTorch, int32 here; PyTorch's load into it). In a data-parallel trainer the statistics are the
 * micro-batch's (see the README).
 */
abstract class BatchNorm extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(owner: string, numFeatures: number, options: BatchNormModuleOptions) {
    super();
    checkOptions(owner, options, OPTION_KEYS);
    const { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, dtype = 'float32' } = options;
    if (!Number.isInteger(numFeatures) || numFeatures < 1) throw new RangeError(`${owner}: numFeatures must be a positive integer, got ${numFeatures}`);
    if (!(eps >= 0)) throw new RangeError(`${owner}: eps must be ≥ 0, got ${eps}`);
    if (momentum !== null && !(momentum >= 0 && momentum <= 1)) throw new RangeError(`${owner}: momentum must be in [0, 1] or null, got ${momentum}`);
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
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

  /** Refuses an input of the wrong rank, naming the expected one. */
  protected abstract checkInput(input: Tensor): void;

  forward(input: Tensor): Tensor {
    this.checkInput(input);
    if (input.shape[1] !== this.numFeatures) {
      throw new RangeError(`${this.constructor.name}: expected ${this.numFeatures} channels (dim 1), got input ${formatShape(input.shape)}`);
    }
    let factor = this.momentum ?? 0;
    const count = this.numBatchesTracked;
    if (this.training && count) {
      const c = count.data();
      c[0] = c[0]! + 1;
      // momentum null: the cumulative moving average, 1/count after counting this batch.
      factor = this.momentum ?? 1 / c[0]!;
    }
    // Without running statistics, eval mode normalises with the batch's too (as PyTorch).
    const useBatchStats = this.training || !this.runningMean;
    const track = !this.training || this.trackRunningStats;
    return batchNorm(input, track ? this.runningMean : null, track ? this.runningVar : null, {
      weight: this.weight,
      bias: this.bias,
      training: useBatchStats,
      momentum: factor,
      eps: this.eps,
    });
  }
}

/** Batch normalisation of [N, C] or [N, C, L] inputs, as `torch.nn.BatchNorm1d`. */
export class BatchNorm1d extends BatchNorm {
  constructor(numFeatures: number, options: BatchNormModuleOptions = {}) {
    super('BatchNorm1d', numFeatures, options);
  }

  protected checkInput(input: Tensor): void {
    if (input.ndim !== 2 && input.ndim !== 3) throw new RangeError(`BatchNorm1d: expected 2D or 3D input (got ${input.ndim}D input ${formatShape(input.shape)})`);
  }
}

/** Batch normalisation of [N, C, H, W] inputs, as `torch.nn.BatchNorm2d`. */
export class BatchNorm2d extends BatchNorm {
  constructor(numFeatures: number, options: BatchNormModuleOptions = {}) {
    super('BatchNorm2d', numFeatures, options);
  }

  protected checkInput(input: Tensor): void {
    if (input.ndim !== 4) throw new RangeError(`BatchNorm2d: expected 4D input (got ${input.ndim}D input ${formatShape(input.shape)})`);
  }
}
