import { binaryJs } from './js/binary.js';
import { col2imJs, im2colJs } from './js/im2col.js';
import { fillJs } from './js/fill.js';
import { addChannelBiasJs, channelBiasGradJs } from './js/channel-bias.js';
import { stridedCopyJs } from './js/strided-copy.js';
import { matmulJs } from './js/matmul.js';
import { adagradJs, adamJs, rmspropJs, sgdJs } from './js/optim.js';
import { sumSlotsJs } from './js/allreduce.js';
import { sumAxisJs } from './js/reduce.js';
import { maxPool2x2Js, maxPoolBackwardJs } from './js/pooling.js';
import { softmaxXentRowsJs } from './js/softmax-xent.js';
import { compareJs, whereJs } from './js/compare.js';
import { extremumRowsJs, varianceRowsJs } from './js/extrema.js';
import { logsumexpRowsJs, softmaxRowsBackwardJs, softmaxRowsJs } from './js/softmax.js';
import { unaryBackwardJs, unaryJs } from './js/unary.js';
import { centredSquaresJs } from './js/row-moments.js';
import { defineKernel } from './registry.js';

/**
 * Every kernel by name, with its TypeScript reference. The WebAssembly module installs its
 * float32 implementations into these same objects.
 * Internal: a kernel of the registry, called by @loom/optim, @loom/losses and @loom/parallel.
 * @internal
 */
export const matmulKernel = defineKernel('matmul', matmulJs);
/**
 * Elementwise binary ops (add, sub, mul, div, pow, maximum, minimum, atan2) over strided operands.
 * Internal: a kernel of the registry, called by @loom/optim, @loom/losses and @loom/parallel.
 * @internal
 */
export const binaryKernel = defineKernel('binary', binaryJs);
/**
 * Optimizer update loops and the all-reduce sum, over flat slices (see kernels/js/optim.ts).
 * Internal: a kernel of the registry, called by @loom/optim, @loom/losses and @loom/parallel.
 * @internal
 */
export const sgdKernel = defineKernel('sgd', sgdJs);
/**
 * The Adam / AdamW update (AMSGrad included) over flat slices.
 * Internal: a kernel of the registry, called by @loom/optim, @loom/losses and @loom/parallel.
 * @internal
 */
export const adamKernel = defineKernel('adam', adamJs);
/**
 * The RMSprop update over flat slices.
 * Internal: a kernel of the registry, called by @loom/optim, @loom/losses and @loom/parallel.
 * @internal
 */
export const rmspropKernel = defineKernel('rmsprop', rmspropJs);
/**
 * The Adagrad update over flat slices.
 * Internal: a kernel of the registry, called by @loom/optim, @loom/losses and @loom/parallel.
 * @internal
 */
export const adagradKernel = defineKernel('adagrad', adagradJs);
/**
 * The all-reduce: sums gradient slots in a fixed pairwise tree order.
 * Internal: a kernel of the registry, called by @loom/optim, @loom/losses and @loom/parallel.
 * @internal
 */
export const sumSlotsKernel = defineKernel('sumSlots', sumSlotsJs);
export const sumAxisKernel = defineKernel('sumAxis', sumAxisJs);
/** Fills elements [from, to) of an array with one value (see kernels/js/fill.ts). */
export const fillKernel = defineKernel('fill', fillJs);
/** Copies a strided view into a dense array in row-major order, converting the type (see kernels/js/strided-copy.ts). */
export const stridedCopyKernel = defineKernel('stridedCopy', stridedCopyJs);
/**
 * Fused softmax cross-entropy of rows of logits: the loss and its gradient in one pass.
 * Internal: a kernel of the registry, called by @loom/optim, @loom/losses and @loom/parallel.
 * @internal
 */
export const softmaxXentRowsKernel = defineKernel('softmaxXentRows', softmaxXentRowsJs);
export const im2colKernel = defineKernel('im2col', im2colJs);
export const col2imKernel = defineKernel('col2im', col2imJs);
export const maxPool2x2Kernel = defineKernel('maxPool2x2', maxPool2x2Js);
export const maxPoolBackwardKernel = defineKernel('maxPoolBackward', maxPoolBackwardJs);
/** A convolution's bias added per channel, and its gradient (see kernels/js/channel-bias.ts). */
export const addChannelBiasKernel = defineKernel('addChannelBias', addChannelBiasJs);
export const channelBiasGradKernel = defineKernel('channelBiasGrad', channelBiasGradJs);
export const unaryKernel = defineKernel('unary', unaryJs);
export const unaryBackwardKernel = defineKernel('unaryBackward', unaryBackwardJs);
export const compareKernel = defineKernel('compare', compareJs);
export const whereKernel = defineKernel('where', whereJs);
export const softmaxRowsKernel = defineKernel('softmaxRows', softmaxRowsJs);
export const softmaxRowsBackwardKernel = defineKernel('softmaxRowsBackward', softmaxRowsBackwardJs);
export const logsumexpRowsKernel = defineKernel('logsumexpRows', logsumexpRowsJs);
export const extremumRowsKernel = defineKernel('extremumRows', extremumRowsJs);
export const varianceRowsKernel = defineKernel('varianceRows', varianceRowsJs);
/** Σ (x − centre)² per contiguous row: the second pass of the norms' statistics. */
export const centredSquaresKernel = defineKernel('centredSquares', centredSquaresJs);
