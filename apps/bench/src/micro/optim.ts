import { Parameter, randn } from '@loom/core';
import { createOptimizer, optimizerDescriptors, type OptimizerName } from '@loom/optim';
import type { MicroResult } from '../report/types.js';
import { measure, type MeasureSettings } from './measure.js';

/** Parameters per optimizer step: one [1000, 1000] tensor. */
export const OPTIMIZER_PARAMETERS = 1_000_000;

/** An optimizer to time: its class name, a label for the table, and its options. */
export interface OptimizerCase {
  name: OptimizerName;
  label: string;
  options: Record<string, unknown>;
}

/**
 * The optimizers timed, with the options of the run: every elementwise optimizer (SparseAdam
 * takes sparse gradients only; LBFGS re-evaluates a closure and is not a per-step update).
 */
export function optimizerCases(): OptimizerCase[] {
  const names = Object.keys(optimizerDescriptors).filter((n) => n !== 'SparseAdam') as OptimizerName[];
  return names.flatMap((name): OptimizerCase[] =>
    name === 'SGD'
      ? [
          { name, label: 'SGD', options: { lr: 1e-3 } },
          { name, label: 'SGD momentum 0.9', options: { lr: 1e-3, momentum: 0.9 } },
        ]
      : [{ name, label: name, options: { lr: 1e-3 } }],
  );
}

/** One `optimizer.step()` over 1M float32 parameters with a dense gradient, in ns per parameter. */
export async function optimizerSuite(settings: MeasureSettings, backend: string): Promise<MicroResult[]> {
  const results: MicroResult[] = [];
  const param = new Parameter(randn([1000, 1000]));
  param.grad = randn([1000, 1000]);
  for (const c of optimizerCases()) {
    const optimizer = createOptimizer(c.name, [param], c.options as never);
    const r = await measure(`optimizer ${c.label}`, () => optimizer.step(), settings);
    results.push({
      suite: 'optimizer step',
      name: `${c.label}, 1M params`,
      backend,
      value: (r.medianMs * 1e6) / OPTIMIZER_PARAMETERS,
      unit: 'ns/param',
      ...r,
    });
  }
  return results;
}
