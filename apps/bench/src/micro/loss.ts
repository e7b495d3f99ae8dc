import { backward, randint, randn, withArena } from '@loom/core';
import { crossEntropy } from '@loom/losses';
import type { MicroResult } from '../report/types.js';
import { measure, type MeasureSettings } from './measure.js';

/** Cross-entropy shapes: the workloads' [batch, 10] logits, and a wide 1000-class case. */
export const CROSS_ENTROPY_SHAPES: readonly (readonly [number, number])[] = [
  [512, 10],
  [128, 1000],
];

/** Softmax cross-entropy forward + backward (mean reduction), in µs per call. */
export async function crossEntropySuite(settings: MeasureSettings, backend: string): Promise<MicroResult[]> {
  const results: MicroResult[] = [];
  for (const [n, classes] of CROSS_ENTROPY_SHAPES) {
    const logits = randn([n, classes], { requiresGrad: true });
    const target = randint(0, classes, [n]);
    const run = (): void => withArena(() => backward(crossEntropy(logits, target)));
    const r = await measure(`cross-entropy ${n}×${classes}`, run, settings);
    results.push({ suite: 'cross-entropy fwd+bwd', name: `${n}×${classes}`, backend, value: r.medianMs * 1000, unit: 'µs', ...r });
  }
  return results;
}
