import { describeKernels } from '@loom/core';
import { batchNormalizer } from '../data/batch-normalizer.js';
import type { TableDataset } from '../data/index.js';
import type { RunResult, RunTask } from '../protocol/messages.js';
import type { FoldPlan } from '../protocol/gradient-fold.js';
import { planSlices } from '../protocol/param-layout.js';
import { globalWorker, globalWorkers } from '../protocol/ranks.js';
import { StepOutcome } from '../protocol/step-ring.js';
import type { WorkerContext } from './context.js';
import { runChunks, type StepBatch, takeChunkCounts } from './chunks.js';
import { RankExchange } from './rank-exchange.js';
import { reduceSlice, type SliceRange, updateSlice } from './slice.js';

type Ended = RunResult['ended'];

/**
 * One worker's side of a run of steps. Every step: its run of chunks, a barrier (whose last
 * arriver fixes the answer to a stop request, after waiting — in a gated run — for the main
 * thread to have read the previous step), then, unless a worker failed, a stop was asked or the
 * loss is not finite (which every worker decides alike from the shared block), the reduction and
 * update of its slice (with gradient clipping, a barrier between the two so every worker knows
 * the global norm) and the tracking of its share of the BatchNorm statistics in chunk order
 * (a skipped step tracks none), and a last barrier whose last arriver publishes the step in the ring. Every
 * worker passes every barrier of a step whatever happens, so none is left waiting.
 */
export class RunSteps {
  /** Each worker's slice of the vector (none when it has fewer blocks than workers). */
  private readonly slices: (SliceRange | null)[];
  private readonly batch: StepBatch;
  /** The run-relative index of the step in flight (what the barrier callbacks act on). */
  private k = 0;
  private gated = false;
  /** Under MPI: the exchange with the other ranks, run by the last worker at each barrier. */
  private readonly exchange: RankExchange | null;
  /** The plan of the step in flight, and whether it was applied (for the exchange). */
  private plan: FoldPlan | null = null;
  private applied = false;
  /** The kernels this thread runs, described once: they are fixed once loaded, and a run's result reports them without new garbage. */
  private kernels: string | null = null;
  /** An error of the exchange, run in a barrier callback: thrown by this worker after the barrier. */
  private exchangeError: unknown = null;
  // The barrier callbacks. Their MPI exchange runs in a method of its own: a closure in the
  // callback itself would allocate its context on every call, and without ranks a step makes no garbage.
  private readonly decide = (): void => {
    if (this.gated) this.ctx.ring.waitConsumed(this.k);
    this.ctx.block.decideStop();
    if (this.exchange) this.exchangeAt('decide', this.exchange);
  };
  private readonly shareSquares = (): void => {
    if (this.exchange) this.exchangeAt('squares', this.exchange);
  };
  private readonly publish = (): void => {
    if (this.exchange) this.exchangeAt('publish', this.exchange);
    this.ctx.ring.publish(this.k, this.gated);
  };

  constructor(private readonly ctx: WorkerContext) {
    const s = ctx.setup;
    const G = globalWorkers(ctx.placement);
    const slices = planSlices(s.buffers.layout.length, G);
    this.slices = Array.from({ length: G }, (_, g) => (slices[g] ? { start: slices[g]![0], end: slices[g]![1] } : null));
    this.batch = { dataset: null as unknown as TableDataset, order: new Int32Array(0), first: 0, size: 0, step: 0, normalizer: 1 };
    this.exchange = s.distributed ? new RankExchange(ctx, s.distributed) : null;
  }

  /**
   * A barrier's exchange with the other ranks, run by the last worker to arrive; an error fails
   * the step (every worker of this rank sees it) and is thrown by this worker after the barrier.
   */
  private exchangeAt(barrier: 'decide' | 'squares' | 'publish', exchange: RankExchange): void {
    try {
      switch (barrier) {
        case 'decide':
          exchange.agree(this.plan!, () => Number.isFinite(this.stepLoss()));
          break;
        case 'squares':
          exchange.shareSquares();
          break;
        case 'publish':
          exchange.publish(this.k, this.applied);
          break;
      }
    } catch (error) {
      this.exchangeError = error;
      this.ctx.block.fail();
    }
  }

  /** The step's mean loss over every chunk, once every chunk's loss is in the block. */
  private stepLoss(): number {
    const chunks = this.plan!.chunks;
    let total = 0;
    for (let c = 0; c < chunks; c++) total += this.ctx.block.chunkLosses[c]!;
    return total / this.batch.normalizer;
  }

  /** Runs the task's batches; the worker whose part threw rethrows after the others were let go. */
  run(task: RunTask, dataset: TableDataset, datasetId: string): RunResult {
    const { ctx } = this;
    const { batchSize } = ctx.setup.training;
    ctx.optimizer.loadStateDict(task.optimizer);
    const order = ctx.order(dataset, datasetId, task.epoch);
    const g = globalWorker(ctx.placement, task.worker);
    const slice = this.slices[g] ?? null;
    this.gated = task.gated;
    this.batch.dataset = dataset;
    let ended: Ended = 'done';
    let k = 0;
    for (let b = task.batchStart; b < task.batchEnd; b++, k++) {
      const start = b * batchSize;
      this.batch.order = order;
      this.batch.first = start;
      this.batch.size = Math.min(batchSize, order.length - start);
      this.batch.step = task.step + k;
      const outcome = this.step(task.worker, g, k, slice);
      if (outcome !== 'applied' && outcome !== 'skipped') {
        ended = outcome;
        if (outcome === 'nonFinite') k++;
        break;
      }
    }
    const first = task.worker === 0;
    return {
      ended,
      published: k,
      optimizer: first ? ctx.optimizer.stateDict() : null,
      kernels: first ? (this.kernels ??= describeKernels()) : null,
      chunks: takeChunkCounts(),
    };
  }

  /** Step k of the run as local worker `worker`, global worker `g`. */
  private step(worker: number, g: number, k: number, slice: SliceRange | null): 'applied' | 'skipped' | Ended {
    const { ctx, batch } = this;
    const { block, ring, optimizer } = ctx;
    const t = ctx.setup.training;
    const t0 = performance.now();
    const lr = optimizer.lr;
    const step = optimizer.beginStep();
    const chunks = Math.ceil(batch.size / t.microBatch);
    const plan = ctx.plan(chunks);
    ring.waitForRoom(k);
    this.k = k;
    this.plan = plan;
    this.exchangeError = null;
    let error: unknown = null;
    block.setComputing(worker, true);
    try {
      batch.normalizer = batchNormalizer(ctx.setup.loss, batch.dataset, batch.order, batch.first, batch.first + batch.size);
      runChunks(ctx, plan, g, batch);
    } catch (e) {
      error = e;
      block.fail();
    }
    block.setComputing(worker, false);
    const compute = performance.now() - t0;
    block.barrier(this.decide);
    if (block.failed || block.stopping) {
      optimizer.cancelStep();
      error ??= this.exchangeError;
      if (error) throw error;
      return block.failed ? 'failed' : 'stopped';
    }
    const loss = this.stepLoss();
    let outcome: StepOutcome = StepOutcome.applied;
    let update = 0;
    let absSum = 0;
    let sqSum = 0;
    if (!Number.isFinite(loss)) {
      optimizer.cancelStep();
      outcome = t.onNonFinite === 'skip' ? StepOutcome.skipped : StepOutcome.nonFinite;
    } else {
      const t1 = performance.now();
      const reduced = slice ? reduceSlice(ctx, plan, slice, t.clipGradNorm !== null) : null;
      let gradScale = 1;
      if (t.clipGradNorm !== null) {
        block.sumSquares[g] = reduced?.sumSquares ?? 0;
        block.barrier(this.shareSquares);
        let sumSquares = 0;
        for (let i = 0; i < block.globalWorkers; i++) sumSquares += block.sumSquares[i]!;
        // torch.nn.utils.clip_grad_norm_: scale by max_norm / (norm + 1e-6) when that is below 1.
        const coef = t.clipGradNorm / (Math.sqrt(sumSquares) + 1e-6);
        gradScale = coef < 1 ? coef : 1;
      }
      if (slice) updateSlice(ctx, slice, optimizer.hyper(), step, gradScale);
      // Every chunk is done (first barrier) and none of the next step's has begun (last barrier).
      ctx.statistics.track(chunks, worker, block.workers);
      if (t.scheduler?.interval === 'step') optimizer.schedulerStep();
      update = performance.now() - t1;
      absSum = reduced?.absSum ?? 0;
      sqSum = reduced?.sqSum ?? 0;
    }
    ring.writeWorker(k, g, compute, update, absSum, sqSum);
    if (worker === 0) ring.writeStep(k, batch.step, loss, lr, outcome);
    this.applied = outcome === StepOutcome.applied;
    block.barrier(this.publish);
    if (this.exchangeError) throw this.exchangeError;
    return outcome === StepOutcome.applied ? 'applied' : outcome === StepOutcome.skipped ? 'skipped' : 'nonFinite';
  }
}
