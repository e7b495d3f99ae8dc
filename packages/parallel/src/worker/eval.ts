import { noGrad, withArena } from '@loom/core';
import { type LossName, type LossOptions, lossNormalizer } from '@loom/losses';
import { type Dataset, gatherBatch } from '../data/index.js';
import type { EvalResultPart, EvalTask } from '../protocol/messages.js';
import type { WorkerContext } from './context.js';

/** Index of the largest of `n` values at `off`, first on ties (as argmax). */
function argmaxRow(values: ArrayLike<number>, off: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (values[off + j]! > values[off + best]!) best = j;
  return best;
}

/** Summed loss and normaliser per chunk, and correct predictions, over dataset rows [start, end). */
export function runEval(ctx: WorkerContext, task: EvalTask, ds: Dataset): EvalResultPart {
  const { loss } = ctx.setup;
  const part: EvalResultPart = { lossSums: [], normalizers: [], correct: 0 };
  ctx.model.eval();
  for (let s = task.start; s < task.end; s += task.microBatch) {
    const e = Math.min(s + task.microBatch, task.end);
    const rows = Int32Array.from({ length: e - s }, (_, i) => s + i);
    withArena(() =>
      noGrad(() => {
        const batch = gatherBatch(ds, rows);
        const out = ctx.model.forward(batch.features);
        part.lossSums.push(ctx.criterion.forward(out, batch.targets).item());
        part.normalizers.push(lossNormalizer(loss.name as LossName, (loss.options ?? {}) as LossOptions, batch.targets, out));
        if (ds.targetKind === 'class' && out.ndim === 2) {
          const o = out.contiguous().data();
          const t = batch.targets.data();
          const classes = out.shape[1]!;
          for (let i = 0; i < e - s; i++) if (argmaxRow(o, i * classes, classes) === t[i]) part.correct++;
        }
      }),
    );
  }
  return part;
}
