import type { Storage } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Frees the memory of `intermediates` (values a built-in module computed and passed between its
 * parts, never returned and never handed to code that could keep them) as soon as nothing can
 * need them: when a backward without `retainGraph` has gone through `output`'s graph, which then
 * frees its saved values as PyTorch does, or at once when `output` carries no graph. A storage
 * that `input` or `output` shares (a layer that returns its input, or a view of it) is kept.
 *
 * Outside withArena, a dead intermediate would otherwise cost a copy into a JS buffer at the next
 * reclaiming pass (see Residency): the plain training loop's main cost.
 */
export function releaseIntermediates(input: Tensor, output: Tensor, intermediates: readonly Tensor[]): void {
  // An array, not Sets: a model's few layers, on every training step.
  const storages: Storage[] = [];
  for (let i = 0; i < intermediates.length; i++) {
    const s = intermediates[i]!.storage;
    if (s !== input.storage && s !== output.storage && !storages.includes(s)) storages.push(s);
  }
  if (storages.length === 0) return;
  const node = output.gradFn;
  if (node === null) {
    for (let i = 0; i < storages.length; i++) storages[i]!.dispose('intermediate');
    return;
  }
  node.releasesAfterBackward = node.releasesAfterBackward ? node.releasesAfterBackward.concat(storages) : storages;
}
