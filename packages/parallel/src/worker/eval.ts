import { noGrad, type Tensor, withArena } from '@loom/core';
import { type LossName, type LossOptions, lossNormalizer } from '@loom/losses';
import { type TableDataset, gatherBatch } from '../data/index.js';
import type { EvalResultPart, EvalTask } from '../protocol/messages.js';
import type { WorkerContext } from './context.js';

/**
 * How many argmax predictions equal their class targets, for scores [N, C, ...positions] and
 * targets [N, ...positions] (one per row, or one per position of a sequence); first on ties.
 */
function countCorrect(out: Tensor, targets: Tensor): number {
  const o = out.contiguous().data();
  const t = targets.data();
  const classes = out.shape[1]!;
  const inner = out.numel / (out.shape[0]! * classes);
  let correct = 0;
  for (let i = 0; i < out.shape[0]!; i++) {
    for (let s = 0; s < inner; s++) {
      const base = i * classes * inner + s;
      let best = 0;
      for (let c = 1; c < classes; c++) if (o[base + c * inner]! > o[base + best * inner]!) best = c;
      if (best === t[i * inner + s]) correct++;
    }
  }
  return correct;
}

/** Summed loss and normaliser per chunk, and correct predictions, over dataset rows [start, end). */
export function runEval(ctx: WorkerContext, task: EvalTask, ds: TableDataset): EvalResultPart {
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
        if (ds.targetKind === 'class' && out.ndim >= 2 && out.numel === batch.targets.numel * out.shape[1]!)
          part.correct += countCorrect(out, batch.targets);
      }),
    );
  }
  return part;
}
