/**
 * The arithmetic BatchNorm and GroupNorm share (not exported from the package): an input read as
 * [N, C, L] is normalised per statistics group — a block of `channelsPerGroup` channels, per
 * sample (GroupNorm) or across the batch (BatchNorm) — then scaled and shifted per channel.
 */
import { record } from '../autograd/record.js';
import { centredSquaresKernel, sumAxisKernel } from '../kernels/definitions.js';
import { Tensor } from '../tensor/tensor.js';
import { contiguous, detach } from './copy.js';

/** How an [N, C, L] input splits into statistics groups. */
export interface ChannelNormLayout {
  readonly N: number;
  readonly C: number;
  readonly L: number;
  readonly channelsPerGroup: number;
  /** One statistic per (sample, group) (GroupNorm) instead of per group over the batch (BatchNorm). */
  readonly perSample: boolean;
}

/** Per-group statistics: the mean and biased variance, or given ones (BatchNorm in eval mode). */
export interface GroupStats {
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  /** Elements behind each statistic. */
  readonly count: number;
}

function groupOf(layout: ChannelNormLayout, n: number, c: number): number {
  const g = Math.floor(c / layout.channelsPerGroup);
  return layout.perSample ? n * (layout.C / layout.channelsPerGroup) + g : g;
}

function groupCount(layout: ChannelNormLayout): number {
  return (layout.C / layout.channelsPerGroup) * (layout.perSample ? layout.N : 1);
}

/**
 * The mean and biased variance of each statistics group of `x` (contiguous, [N, C, L]), in two
 * passes: row sums of every (n, c) run, then the squares about each run's group mean, both by
 * kernels (SIMD for float32).
 */
export function groupStats(x: Tensor, layout: ChannelNormLayout): GroupStats {
  const { N, C, L } = layout;
  const runs = N * C;
  const G = groupCount(layout);
  const count = (runs * L) / G;
  const perRun = Tensor.empty([runs], x.dtype);
  const runData = perRun.data();
  const X = x.storage.array();
  sumAxisKernel.select(x.dtype)(runs, L, 1, X, x.offset, runData, 0);
  const mean = new Float64Array(G);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) mean[groupOf(layout, n, c)]! += runData[n * C + c]!;
  for (let g = 0; g < G; g++) mean[g]! /= count;
  const centres = Tensor.empty([runs], x.dtype);
  const centreData = centres.data();
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) centreData[n * C + c] = mean[groupOf(layout, n, c)]!;
  centredSquaresKernel.select(x.dtype)(runs, L, X, x.offset, centreData, 0, runData, 0);
  const variance = new Float64Array(G);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) variance[groupOf(layout, n, c)]! += runData[n * C + c]!;
  for (let g = 0; g < G; g++) variance[g]! /= count;
  return { mean, variance, count };
}

/**
 * (x − mean)/√(variance + eps) per statistics group, times weight[c] plus bias[c] (either may be
 * null), with its backward recorded. With `fixedStats` (BatchNorm on running statistics) the
 * statistics are constants; otherwise they are `x`'s own and the gradient flows through them:
 * dx = rstd·(d − mean(d) − x̂·mean(d·x̂)) per group, with d = g·weight.
 */
export function channelNorm(
  name: string,
  input: Tensor,
  layout: ChannelNormLayout,
  stats: GroupStats,
  fixedStats: boolean,
  weight: Tensor | null,
  bias: Tensor | null,
  eps: number,
): Tensor {
  const { N, C, L } = layout;
  const x = contiguous(detach(input));
  const X = x.data();
  const wt = weight ? contiguous(detach(weight)) : null;
  const w = wt ? wt.data() : null;
  const b = bias ? contiguous(detach(bias)).data() : null;
  const rstd = stats.variance.map((v) => 1 / Math.sqrt(v + eps));
  const out = Tensor.empty(input.shape, input.dtype);
  const Y = out.data();
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const g = groupOf(layout, n, c);
      const mu = stats.mean[g]!;
      const scale = rstd[g]! * (w ? w[c]! : 1);
      const shift = b ? b[c]! : 0;
      for (let j = 0, p = (n * C + c) * L; j < L; j++) Y[p + j] = (X[p + j]! - mu) * scale + shift;
    }
  }
  const inputs = [input, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  return record(name, out, inputs, (grad) => {
    const G = contiguous(grad).data();
    // Fetched again, not kept from the forward: outside a scope, a pass may have moved these
    // regions out and given them to other tensors since (a kept array would read their bytes).
    const X = x.data();
    const w = wt ? wt.data() : null;
    const groups = groupCount(layout);
    const sumD = new Float64Array(groups);
    const sumDX = new Float64Array(groups);
    const dw = new Float64Array(C);
    const db = new Float64Array(C);
    for (let n = 0; n < N; n++) {
      for (let c = 0; c < C; c++) {
        const g = groupOf(layout, n, c);
        const mu = stats.mean[g]!;
        const r = rstd[g]!;
        const wc = w ? w[c]! : 1;
        for (let j = 0, p = (n * C + c) * L; j < L; j++) {
          const xhat = (X[p + j]! - mu) * r;
          dw[c]! += G[p + j]! * xhat;
          db[c]! += G[p + j]!;
          sumD[g]! += G[p + j]! * wc;
          sumDX[g]! += G[p + j]! * wc * xhat;
        }
      }
    }
    let gradInput: Tensor | null = null;
    if (input.requiresGrad) {
      gradInput = Tensor.empty(input.shape, input.dtype);
      const D = gradInput.data();
      for (let n = 0; n < N; n++) {
        for (let c = 0; c < C; c++) {
          const g = groupOf(layout, n, c);
          const mu = stats.mean[g]!;
          const r = rstd[g]!;
          const wc = w ? w[c]! : 1;
          const meanD = sumD[g]! / stats.count;
          const meanDX = sumDX[g]! / stats.count;
          for (let j = 0, p = (n * C + c) * L; j < L; j++) {
            const d = G[p + j]! * wc;
            D[p + j] = fixedStats ? d * r : r * (d - meanD - (X[p + j]! - mu) * r * meanDX);
          }
        }
      }
    }
    const perChannel = (t: Tensor | null, values: Float64Array): Tensor | null => {
      if (!t?.requiresGrad) return null;
      const out = Tensor.empty(t.shape, t.dtype);
      out.data().set(values);
      return out;
    };
    // Gradients in the order of `inputs`: weight and bias only where they were given.
    return [gradInput, ...(weight ? [perChannel(weight, dw)] : []), ...(bias ? [perChannel(bias, db)] : [])];
  });
}
