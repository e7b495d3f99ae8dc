import { formatValue } from '../util/format-value.js';
import { isFloating } from '../dtype.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { channelNorm, type ChannelNormLayout, type GroupStats, groupStats } from './channel-norm.js';
import { contiguous, detach } from './copy.js';

/** Options of `batchNorm`, as `torch.nn.functional.batch_norm`. */
export interface BatchNormOptions {
  /** Per-channel scale γ, [C] of the input's dtype; null or absent: 1. */
  weight?: Tensor | null;
  /** Per-channel shift β, [C] of the input's dtype; null or absent: 0. */
  bias?: Tensor | null;
  /** Normalise with the batch's statistics (and update the running ones) instead of the running ones. */
  training?: boolean;
  /** Weight of the new batch statistic in the running average (default 0.1). */
  momentum?: number;
  /** Added to the variance before its square root (default 1e-5). */
  eps?: number;
}

/** [N, C, L] with L the product of the dims after the channels. */
function channelLayout(input: Tensor, op: string, groupsOf: number): ChannelNormLayout {
  const [N, C] = input.shape as [number, number];
  return { N, C, L: input.shape.slice(2).reduce((a, b) => a * b, 1), channelsPerGroup: groupsOf, perSample: op === 'groupNorm' };
}

function checkChannelTensor(op: string, name: string, t: Tensor | null, C: number, input: Tensor): void {
  if (t && (t.ndim !== 1 || t.shape[0] !== C || t.dtype !== input.dtype)) {
    throw new RangeError(
      `${op}: ${name} must be [${C}] of dtype ${input.dtype} for input ${formatShape(input.shape)}, got ${formatShape(t.shape)} of dtype ${t.dtype}`,
    );
  }
}

function checkNormInput(op: string, input: Tensor): void {
  if (input.ndim < 2) throw new RangeError(`${op}: expected an input of at least 2 dims [N, C, *], got ${formatShape(input.shape)}`);
  if (!isFloating(input.dtype)) throw new TypeError(`${op}: expected a floating-point input, got ${input.dtype}`);
}

/**
 * Batch normalisation over dim 1 of an [N, C, *] input, as `torch.nn.functional.batch_norm`.
 * Training: normalises with the batch's per-channel mean and biased variance and, where running
 * statistics are given, updates them in place: running = (1 − momentum)·running + momentum·batch,
 * the variance unbiased (×n/(n−1)). Otherwise it normalises with the running statistics, which
 * are then constants of the gradient.
 * @param input - floating-point, [N, C, *]; training needs more than one value per channel.
 * @param runningMean - the per-channel running mean, [C] of the input's dtype, updated in place when
 *   training; null: none (then training is required).
 * @param runningVar - the per-channel running (unbiased) variance, [C] of the input's dtype, updated
 *   in place when training; null: none (then training is required).
 * @param options - weight, bias, training (default false), momentum and eps, see
 *   {@link BatchNormOptions}; unknown keys throw.
 */
export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, options: BatchNormOptions = {}): Tensor {
  checkOptions('batchNorm', options, ['weight', 'bias', 'training', 'momentum', 'eps']);
  const { weight = null, bias = null, training = false, momentum = 0.1, eps = 1e-5 } = options;
  if (!training) {
    checkBatchNormInput(input, weight, bias, runningMean, runningVar);
    if (!runningMean || !runningVar) throw new TypeError('batchNorm: runningMean and runningVar are required when training is false');
    const layout = channelLayout(input, 'batchNorm', 1);
    const stats: GroupStats = {
      mean: Float64Array.from(runningMean.toArray()),
      variance: Float64Array.from(runningVar.toArray()),
      count: layout.N * layout.L,
    };
    return channelNorm('batchNorm', input, layout, stats, true, weight, bias, eps);
  }
  checkBatchNormInput(input, weight, bias, runningMean, runningVar);
  const [output, stats] = batchNormWithStatistics(input, { weight, bias, eps });
  updateRunningStatistics(runningMean, runningVar, stats, momentum);
  return output;
}

/**
 * One batch's statistics per channel, as a training-mode batch norm computes them: the mean and
 * the biased variance over the `count` values of each channel.
 */
export type BatchStatistics = GroupStats;

function checkBatchNormInput(
  input: Tensor,
  weight: Tensor | null,
  bias: Tensor | null,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
): void {
  checkNormInput('batchNorm', input);
  const C = input.shape[1]!;
  for (const [name, t] of [
    ['weight', weight],
    ['bias', bias],
    ['runningMean', runningMean],
    ['runningVar', runningVar],
  ] as const) {
    checkChannelTensor('batchNorm', name, t, C, input);
  }
}

/**
 * Training-mode batch normalisation without running statistics: the output (normalised with the
 * batch's own statistics, gradient through them) and those statistics, for the caller to track
 * (`updateRunningStatistics`) now or later — the data-parallel trainer records each
 * micro-batch's and applies them in chunk order.
 * @param input - floating-point, [N, C, *] with more than one value per channel.
 * @param options - `weight`, `bias` and `eps` of {@link BatchNormOptions}; unknown keys throw.
 */
export function batchNormWithStatistics(
  input: Tensor,
  options: Pick<BatchNormOptions, 'weight' | 'bias' | 'eps'> = {},
): [output: Tensor, statistics: BatchStatistics] {
  checkOptions('batchNormWithStatistics', options, ['weight', 'bias', 'eps']);
  const { weight = null, bias = null, eps = 1e-5 } = options;
  checkBatchNormInput(input, weight, bias, null, null);
  const layout = channelLayout(input, 'batchNorm', 1);
  const count = layout.N * layout.L;
  if (count <= 1) {
    throw new RangeError(`batchNorm: expected more than 1 value per channel when training, got input size ${formatShape(input.shape)}`);
  }
  const stats = groupStats(contiguous(detach(input)), layout);
  return [channelNorm('batchNorm', input, layout, stats, false, weight, bias, eps), stats];
}

/**
 * Moves running statistics (either may be null) towards one batch's, in place:
 * running = (1 − momentum)·running + momentum·batch, the batch variance unbiased (×n/(n−1)).
 * @param runningMean - the running mean [C], contiguous, updated in place; `null`: not tracked
 * @param runningVar - the running variance [C], contiguous, updated in place; `null`: not tracked
 * @param stats - one batch's statistics, as `batchNormWithStatistics` returns them
 * @param momentum - the weight of the batch statistic, in [0, 1] (`BatchNorm`'s default is 0.1)
 */
export function updateRunningStatistics(
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  stats: BatchStatistics,
  momentum: number,
): void {
  if (runningMean) updateRunning(runningMean, stats.mean, momentum, 1);
  if (runningVar) updateRunning(runningVar, stats.variance, momentum, stats.count / (stats.count - 1));
}

/** running = (1 − momentum)·running + momentum·(batch·scale), in place. */
function updateRunning(running: Tensor, batch: Float64Array, momentum: number, scale: number): void {
  if (!running.isContiguous()) throw new Error('batchNorm: running statistics must be contiguous (they are updated in place)');
  if (running.numel !== batch.length)
    throw new RangeError(`batchNorm: running statistics hold ${running.numel} values, the batch's ${batch.length}`);
  const r = running.data();
  for (let c = 0; c < batch.length; c++) r[c] = momentum * (batch[c]! * scale) + (1 - momentum) * r[c]!;
}

/**
 * Group normalisation of an [N, C, *] input, as `torch.nn.functional.group_norm`: the C channels
 * split into `numGroups` groups, each normalised per sample with its mean and biased variance,
 * then scaled and shifted per channel.
 * @param input - [N, C, *], float32 or float64
 * @param numGroups - the number of groups, a positive integer dividing C
 * @param weight - the per-channel scale [C], of `input`'s dtype; `null` (default): no scale
 * @param bias - the per-channel shift [C], of `input`'s dtype; `null` (default): no shift
 * @param eps - added to the variance before the square root (default 1e-5)
 */
export function groupNorm(input: Tensor, numGroups: number, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  checkNormInput('groupNorm', input);
  const C = input.shape[1]!;
  if (!Number.isInteger(numGroups) || numGroups < 1 || C % numGroups !== 0) {
    throw new RangeError(
      `groupNorm: expected ${C} channels (input ${formatShape(input.shape)}) to be divisible into numGroups=${formatValue(numGroups)}`,
    );
  }
  checkChannelTensor('groupNorm', 'weight', weight, C, input);
  checkChannelTensor('groupNorm', 'bias', bias, C, input);
  const layout = channelLayout(input, 'groupNorm', C / numGroups);
  return channelNorm('groupNorm', input, layout, groupStats(contiguous(detach(input)), layout), false, weight, bias, eps);
}
