import { batchNormalizer } from '../data/batch-normalizer.js';
import type { TableDataset } from '../data/index.js';
import type { RunResult, RunTask } from '../protocol/messages.js';
import { planSlices } from '../protocol/param-layout.js';
import { StepOutcome } from '../protocol/step-ring.js';
import type { WorkerContext } from './context.js';
import { runChunks, type StepBatch } from './chunks.js';
import { reduceSlice, type SliceRange, updateSlice } from './slice.js';

type Ended = RunResult['ended'];

/**
 * One worker's side of a run of steps. Every step: its run of chunks, a barrier (whose last
 * arriver fixes the answer to a stop request, after waiting — in a gated run — for the main
 * thread to have read the previous step), then, unless a worker failed, a stop was asked or the
 * loss is not finite (which every worker decides alike from the shared block), the reduction and
 * update of its slice (with gradient clipping, a barrier between the two so every worker knows
 * the global norm), and a last barrier whose last arriver publishes the step in the ring. Every
 * worker passes every barrier of a step whatever happens, so none is left waiting.
 */
export class RunSteps {
  /** Each worker's slice of the vector (none when it has fewer blocks than workers). */
  private readonly slices: (SliceRange | null)[];
  private readonly batch: StepBatch;
  /** The run-relative index of the step in flight (what the barrier callbacks act on). */
  private k = 0;
  private gated = false;
  private readonly decide = (): void => {
    if (this.gated) this.ctx.ring.waitConsumed(this.k);
    this.ctx.block.decideStop();
  };
  private readonly publish = (): void => this.ctx.ring.publish(this.k);

  constructor(private readonly ctx: WorkerContext) {
    const s = ctx.setup;
    const slices = planSlices(s.buffers.layout.length, s.stepBlock.workers);
    this.slices = Array.from({ length: s.stepBlock.workers }, (_, w) => (slices[w] ? { start: slices[w]![0], end: slices[w]![1] } : null));
    this.batch = { dataset: null as unknown as TableDataset, rows: new Int32Array(0), step: 0, normalizer: 1 };
  }

  /** Runs the task's batches; the worker whose part threw rethrows after the others were let go. */
  run(task: RunTask, dataset: TableDataset, datasetId: string): RunResult {
    const { ctx } = this;
    const { batchSize } = ctx.setup.training;
    ctx.optimizer.loadStateDict(task.optimizer);
    const order = ctx.order(dataset, datasetId, task.epoch);
    const slice = this.slices[task.worker] ?? null;
    this.gated = task.gated;
    this.batch.dataset = dataset;
    let ended: Ended = 'done';
    let k = 0;
    for (let b = task.batchStart; b < task.batchEnd; b++, k++) {
      const start = b * batchSize;
      this.batch.rows = order.subarray(start, Math.min(start + batchSize, order.length));
      this.batch.step = task.step + k;
      const outcome = this.step(task.worker, k, slice);
      if (outcome !== 'applied' && outcome !== 'skipped') {
        ended = outcome;
        if (outcome === 'nonFinite') k++;
        break;
      }
    }
    return { ended, published: k, optimizer: task.worker === 0 ? ctx.optimizer.stateDict() : null };
  }

  private step(worker: number, k: number, slice: SliceRange | null): 'applied' | 'skipped' | Ended {
    const { ctx, batch } = this;
    const { block, ring, optimizer } = ctx;
    const t = ctx.setup.training;
    const t0 = performance.now();
    const lr = optimizer.lr;
    const begun = optimizer.beginStep();
    const chunks = Math.ceil(batch.rows.length / t.microBatch);
    const plan = ctx.plan(chunks);
    ring.waitForRoom(k);
    this.k = k;
    let error: unknown = null;
    block.setComputing(worker, true);
    try {
      batch.normalizer = batchNormalizer(ctx.setup.loss, batch.dataset, batch.rows);
      runChunks(ctx, plan, worker, batch);
    } catch (e) {
      error = e;
      block.fail();
    }
    block.setComputing(worker, false);
    const compute = performance.now() - t0;
    block.barrier(this.decide);
    if (block.failed || block.stopping) {
      begun.cancel();
      if (error) throw error;
      return block.failed ? 'failed' : 'stopped';
    }
    let total = 0;
    for (let c = 0; c < chunks; c++) total += block.chunkLosses[c]!;
    const loss = total / batch.normalizer;
    let outcome: StepOutcome = StepOutcome.applied;
    let update = 0;
    let absSum = 0;
    let sqSum = 0;
    if (!Number.isFinite(loss)) {
      begun.cancel();
      outcome = t.onNonFinite === 'skip' ? StepOutcome.skipped : StepOutcome.nonFinite;
    } else {
      const t1 = performance.now();
      const reduced = slice ? reduceSlice(ctx, plan, slice, t.clipGradNorm !== null) : null;
      let gradScale = 1;
      if (t.clipGradNorm !== null) {
        block.sumSquares[worker] = reduced?.sumSquares ?? 0;
        block.barrier();
        let sumSquares = 0;
        for (let w = 0; w < block.workers; w++) sumSquares += block.sumSquares[w]!;
        // torch.nn.utils.clip_grad_norm_: scale by max_norm / (norm + 1e-6) when that is below 1.
        const coef = t.clipGradNorm / (Math.sqrt(sumSquares) + 1e-6);
        gradScale = coef < 1 ? coef : 1;
      }
      if (slice) updateSlice(ctx, slice, optimizer.hyper(), begun.step, gradScale);
      if (t.scheduler?.interval === 'step') optimizer.schedulerStep();
      update = performance.now() - t1;
      absSum = reduced?.absSum ?? 0;
      sqSum = reduced?.sqSum ?? 0;
    }
    ring.writeWorker(k, worker, compute, update, absSum, sqSum);
    if (worker === 0) ring.writeStep(k, batch.step, loss, lr, outcome);
    block.barrier(this.publish);
    return outcome === StepOutcome.applied ? 'applied' : outcome === StepOutcome.skipped ? 'skipped' : 'nonFinite';
  }
}
