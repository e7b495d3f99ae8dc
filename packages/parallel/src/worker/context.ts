import { attachMemory, type Module, type Parameter, SharedMemory, setWasmModule, type WasmMemory, type WasmModule } from '@loom/core';
import { createLoss, type LossName, type LossOptions } from '@loom/losses';
import { type TableDataset, datasetFromShared, RandomSampler, type SharedDataset } from '../data/index.js';
import { buildModel } from '../models/build.js';
import { markTrainerWorker } from '../trainer/model-origin.js';
import { OptimizerState } from '../optimizer/optimizer-state.js';
import { type FoldPlan, planAccumulate, planFold } from '../protocol/gradient-fold.js';
import type { WorkerSetup } from '../protocol/messages.js';
import { globalWorkers, type RankPlacement, singleProcess } from '../protocol/ranks.js';
import { bindParameters } from '../protocol/shared-buffers.js';
import { ChunkStatistics } from '../protocol/chunk-statistics.js';
import { bindModuleBuffers } from '../protocol/module-buffers.js';
import { StepBlock } from '../protocol/step-block.js';
import { StepRing } from '../protocol/step-ring.js';

/**
 * Everything a worker thread keeps between tasks: its region of the memory, its model replica
 * (parameters and buffers bound to the shared vectors), the loss with reduction 'sum', its copy of the
 * optimizer's scalar state, the shared step block and ring, and caches (dataset views, epoch
 * orders, fold plans) so that a steady-state step allocates nothing new.
 */
export interface WorkerContext {
  setup: WorkerSetup;
  memory: SharedMemory;
  block: StepBlock;
  ring: StepRing;
  model: Module;
  params: Parameter[];
  /** Records each chunk's BatchNorm statistics and tracks them in chunk order. */
  statistics: ChunkStatistics;
  criterion: Module;
  optimizer: OptimizerState;
  dataset(desc: SharedDataset): TableDataset;
  /** The sample order of an epoch of a dataset (the trainer's seeded RandomSampler). */
  order(dataset: TableDataset, id: string, epoch: number): Int32Array;
  /** The fold of a batch of `chunks` chunks over the workers (of every rank). */
  plan(chunks: number): FoldPlan;
  /** This process among the MPI ranks (rank 0 of 1 without MPI). */
  placement: RankPlacement;
}

/** This thread's region of the shared memory, or null when every region is taken. */
export function claimMemory(setup: WorkerSetup): SharedMemory | null {
  // After a worker thread died, piscina starts a replacement while the trainer tears the pool
  // down: that thread finds no region left and runs nothing (the trainer never sends it a task).
  const region = setup.regions[Atomics.add(setup.claim, 0, 1)] ?? null;
  if (!region) return null;
  // The main thread compiled the kernel module once; instantiating it here needs no compile.
  if (setup.wasmModule) setWasmModule(setup.wasmModule as WasmModule);
  return attachMemory(setup.memory as WasmMemory, region.base, region.bytes).memory;
}

export async function createContext(setup: WorkerSetup, memory: SharedMemory): Promise<WorkerContext> {
  markTrainerWorker();
  const model = await buildModel(setup.model, setup.factoryModel === null ? {} : { printed: setup.factoryModel });
  const params = bindParameters(model, memory, setup.buffers, false);
  const { moduleBuffers, bufferLayout, statistics, statisticsLayout } = setup.buffers;
  bindModuleBuffers(model, memory, moduleBuffers, bufferLayout, false);
  const t = setup.training;
  const datasets = new Map<string, TableDataset>();
  let order: { id: string; epoch: number; indices: Int32Array } | null = null;
  const plans = new Map<number, FoldPlan>();
  const workers = setup.stepBlock.workers;
  const placement: RankPlacement = setup.distributed
    ? { rank: setup.distributed.rank, ranks: setup.distributed.ranks, workers }
    : singleProcess(workers);
  const G = globalWorkers(placement);
  return {
    setup,
    memory,
    placement,
    block: new StepBlock(setup.stepBlock.buffer, setup.stepBlock.maxChunks, workers, G),
    ring: new StepRing(setup.stepRing.buffer, setup.stepRing.capacity, G),
    model,
    params,
    statistics: new ChunkStatistics(model, memory, statistics, setup.stepBlock.maxChunks, statisticsLayout),
    criterion: createLoss(setup.loss.name as LossName, { ...setup.loss.options, reduction: 'sum' } as LossOptions),
    optimizer: new OptimizerState(t.optimizer, t.scheduler),
    dataset(desc) {
      let ds = datasets.get(desc.id);
      if (!ds) {
        ds = datasetFromShared(desc);
        datasets.set(desc.id, ds);
      }
      return ds;
    },
    order(dataset, id, epoch) {
      if (order?.id !== id || order.epoch !== epoch)
        order = { id, epoch, indices: new RandomSampler(dataset.length, { seed: t.seed }).indices(epoch) };
      return order.indices;
    },
    plan(chunks) {
      let plan = plans.get(chunks);
      if (!plan) {
        const bases = setup.buffers.slotBases;
        plan = t.deterministic ? planFold(chunks, G, bases) : planAccumulate(chunks, G, bases);
        plans.set(chunks, plan);
      }
      return plan;
    },
  };
}
