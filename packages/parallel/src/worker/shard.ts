import { Generator, type Module, mul, noGrad, type Parameter, type SharedMemory, type Tensor, withArena } from '@loom/core';
import { createLoss, type LossName, type LossOptions, lossNormalizer } from '@loom/losses';
import { type TableDataset, datasetFromShared, gatherBatch, type SharedDataset } from '../data/index.js';
import { slotGradients } from '../trainer/shared-buffers.js';
import type { EvalResultPart, EvalTask, ShardResult, ShardTask, WorkerSetup } from './messages.js';
import { chunkSeed } from './seeds.js';

/** A thread's model replica, its parameters bound to the shared vector. */
export interface Replica {
  model: Module;
  params: Parameter[];
  memory: SharedMemory;
  setup: WorkerSetup;
}

const datasets = new Map<SharedDataset['id'], TableDataset>();
const slotViews = new Map<number, Tensor[]>();
let sumLoss: Module | null = null;

function dataset(desc: SharedDataset): TableDataset {
  let ds = datasets.get(desc.id);
  if (!ds) {
    ds = datasetFromShared(desc);
    datasets.set(desc.id, ds);
  }
  return ds;
}

/** The loss with reduction 'sum': chunks add up, and the batch-wide normaliser divides once. */
function loss(setup: WorkerSetup): Module {
  sumLoss ??= createLoss(setup.loss.name as LossName, { ...setup.loss.options, reduction: 'sum' } as LossOptions);
  return sumLoss;
}

/** Seeds every module that draws random numbers (dropout) from (seed, step, chunk). */
function seedRandomness(model: Module, seed: number, step: number, chunk: number): void {
  let k = 0;
  for (const m of model.modules()) {
    const g = (m as { generator?: unknown }).generator;
    if (g instanceof Generator) g.manualSeed(chunkSeed(seed, step, chunk, k++));
  }
}

function slotViewsOf(r: Replica, slot: number): Tensor[] {
  let views = slotViews.get(slot);
  if (!views) {
    views = slotGradients(r.memory, r.setup.buffers, slot);
    slotViews.set(slot, views);
  }
  return views;
}

/**
 * Forward and backward of each chunk of the task, with the gradient of
 * (chunk's summed loss / batch normaliser) accumulated straight into the chunk's slot.
 */
export function runShard(r: Replica, task: ShardTask): ShardResult {
  const t0 = performance.now();
  const { buffers } = r.setup;
  const ds = dataset(task.dataset);
  const indices = new Int32Array(r.memory.buffer, buffers.indices, buffers.batchCapacity);
  const criterion = loss(r.setup);
  const losses: number[] = [];
  r.model.train();
  for (let c = task.chunkStart; c < task.chunkEnd; c++) {
    const start = c * task.microBatch;
    const end = Math.min(start + task.microBatch, task.batchSize);
    // Deterministic: each chunk into its own slot. Otherwise every chunk adds into the slot of
    // the task's first chunk.
    const first = c === task.chunkStart;
    const grads = slotViewsOf(r, task.accumulate ? task.chunkStart : c);
    // Backward writes each parameter's first gradient straight into the slot (no zero-fill).
    r.params.forEach((p, i) => {
      p.grad = grads[i]!;
      p.overwriteGrad = !task.accumulate || first;
    });
    seedRandomness(r.model, r.setup.seed, task.step, c);
    losses.push(
      withArena(() => {
        const batch = gatherBatch(ds, indices.subarray(start, end));
        const value = criterion.forward(r.model.forward(batch.features), batch.targets);
        mul(value, 1 / task.normalizer).backward();
        return value.item();
      }),
    );
    r.params.forEach((p, i) => {
      // A parameter this chunk did not reach still holds the last step's bytes: zero it.
      if (p.overwriteGrad) grads[i]!.data().fill(0);
      p.grad = null;
      p.overwriteGrad = false;
    });
  }
  return { losses, ms: performance.now() - t0 };
}

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
export function runEval(r: Replica, task: EvalTask): EvalResultPart {
  const ds = dataset(task.dataset);
  const criterion = loss(r.setup);
  const part: EvalResultPart = { lossSums: [], normalizers: [], correct: 0 };
  r.model.eval();
  for (let s = task.start; s < task.end; s += task.microBatch) {
    const e = Math.min(s + task.microBatch, task.end);
    const rows = Int32Array.from({ length: e - s }, (_, i) => s + i);
    withArena(() =>
      noGrad(() => {
        const batch = gatherBatch(ds, rows);
        const out = r.model.forward(batch.features);
        part.lossSums.push(criterion.forward(out, batch.targets).item());
        part.normalizers.push(lossNormalizer(r.setup.loss.name as LossName, (r.setup.loss.options ?? {}) as LossOptions, batch.targets, out));
        if (ds.targetKind === 'class' && out.ndim >= 2 && out.numel === batch.targets.numel * out.shape[1]!) part.correct += countCorrect(out, batch.targets);
      }),
    );
  }
  return part;
}
