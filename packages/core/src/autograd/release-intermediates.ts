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
  const kept = new Set<Storage>([input.storage, output.storage]);
  const storages = new Set<Storage>();
  for (const t of intermediates) if (!kept.has(t.storage)) storages.add(t.storage);
  if (storages.size === 0) return;
  const node = output.gradFn;
  if (node === null) {
    for (const storage of storages) storage.dispose('intermediate');
    return;
  }
  node.releasesAfterBackward = [...(node.releasesAfterBackward ?? []), ...storages];
}
