import { formatShape, isFloating, numel, shapesEqual, tensor, Tensor } from '@loom/core';
import { broadcastLossShapes, checkTensor } from './checks.js';
import { checkClassOptions, classIndices, classWeights, targetWeightSum } from './class-target.js';
import { lossClassName, type LossName, type LossOptions } from './registry.js';

function weightOption(options: LossOptions): Tensor | null {
  const w = options['weight'];
  if (w === undefined || w === null) return null;
  if (Array.isArray(w)) return tensor(Float64Array.from(w as number[]));
  checkTensor('lossNormalizer', w, 'weight');
  return w;
}

/** The class dimension's size of an input of `shape` (dim 1, or dim 0 when unbatched). */
function classCount(shape: readonly number[]): number {
  return shape.length === 1 ? shape[0]! : shape[1]!;
}

function classNormalizer(className: string, options: LossOptions, target: Tensor, input: Tensor | undefined): number {
  const op = `lossNormalizer(${className})`;
  const { weight, ignoreIndex } = checkClassOptions(op, {
    weight: weightOption(options),
    ignoreIndex: options['ignoreIndex'] as number | undefined,
  });
  if (className === 'CrossEntropyLoss' && isFloating(target.dtype) && (!input || shapesEqual(input.shape, target.shape))) {
    // Class probabilities: 'mean' divides by the number of samples, N·d1⋯dk.
    return target.numel / classCount(target.shape);
  }
  // Without the input, the classes are known from the weight, or not at all: only negative indices are caught.
  const c = input ? classCount(input.shape) : weight ? weight.numel : Infinity;
  if (target.dtype !== 'int32') throw new TypeError(`${op}: expected class indices, an int32 target, got ${target.dtype}`);
  const t = classIndices(op, target, c, ignoreIndex);
  const w = classWeights(op, weight, c);
  const total = targetWeightSum(t, w, ignoreIndex);
  const smoothing = options['labelSmoothing'];
  if (className === 'CrossEntropyLoss' && typeof smoothing === 'number' && smoothing > 0 && !w && total !== t.length) {
    throw new RangeError(
      `${op}: with labelSmoothing, no weight and ignored targets, PyTorch's mean divides its two terms by different counts ` +
        `(${total} and ${t.length}), so it is not a sum over one normaliser; give a weight (ones) to normalise both by the weight sum`,
    );
  }
  return total;
}

/**
 * What a loss's 'mean' reduction divides its 'sum' by for this `target` (and `input`, needed for
 * weighted class losses and for targets that broadcast): the sum of the class weights of the
 * targets that are not ignored for `CrossEntropyLoss` and `NLLLoss` (their count without weights),
 * the number of samples N·d1⋯dk for cross-entropy with class probabilities, the batch size for
 * `KLDivLoss` with `'batchmean'`, and the number of elements for every elementwise loss.
 *
 * It serves global loss normalisation across micro-batches: with `sumLoss = createLoss(name,
 * { ...options, reduction: 'sum' })`, Σ_chunks sumLoss(chunk) / Σ_chunks lossNormalizer(chunk)
 * equals the mean loss of the whole batch, and so do the gradients. A cross-entropy with
 * `labelSmoothing`, no `weight` and ignored targets has no such normaliser in PyTorch (its two
 * terms are averaged over different counts): that case throws.
 * @param name - the loss, by class or short name, as for {@link createLoss}
 * @param options - the loss's options, as for {@link createLoss}: `weight`, `ignoreIndex`, `labelSmoothing` and `reduction`
 *   ('batchmean') change the count; the others are not read
 * @param target - the chunk's target, as the loss takes it (int32 class indices for the class losses)
 * @param input - the chunk's input; needed when the target broadcasts, and to know C for class losses (without it only
 *   negative class indices are caught)
 */
export function lossNormalizer(name: LossName, options: LossOptions, target: Tensor, input?: Tensor): number {
  const className = lossClassName(name);
  checkTensor('lossNormalizer', target, 'target');
  if (input !== undefined) checkTensor('lossNormalizer', input, 'input');
  switch (className) {
    case 'CrossEntropyLoss':
    case 'NLLLoss':
    case 'NLLLoss2d':
      return classNormalizer(className, options, target, input);
    case 'KLDivLoss':
      if (options['reduction'] === 'batchmean') {
        const batched = input ?? target;
        return batched.ndim > 0 ? batched.shape[0]! : 1;
      }
      break;
    default:
      break;
  }
  if (!input) return target.numel;
  const shape = broadcastLossShapes(`lossNormalizer(${className})`, input.shape, target.shape);
  if (className.startsWith('BCE') && !shapesEqual(shape, input.shape)) {
    throw new RangeError(
      `lossNormalizer(${className}): target size ${formatShape(target.shape)} must be the same as input size ${formatShape(input.shape)}`,
    );
  }
  return numel(shape);
}
