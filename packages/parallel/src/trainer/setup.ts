import {
  clone,
  Embedding,
  kernelInfo,
  loadWasmModule,
  manualSeed,
  memoryContext,
  type Module,
  Parameter,
  persistent,
  wasmModule,
} from '@loom/core';
import { OptimizerState } from '../optimizer/optimizer-state.js';
import { planSlots } from '../protocol/gradient-fold.js';
import type { ChunkCounts, WorkerSetup } from '../protocol/messages.js';
import { mpiRanks, platform, type ThreadPool } from '../platform/platform.js';
import { planLayout } from '../protocol/param-layout.js';
import { StepBlock } from '../protocol/step-block.js';
import { StepRing } from '../protocol/step-ring.js';
import { bindParameters, ownedParameters, type SharedBuffers } from '../protocol/shared-buffers.js';
import { bindModuleBuffers, planBufferLayout, unbindModuleBuffers } from '../protocol/module-buffers.js';
import { planStatistics } from '../protocol/chunk-statistics.js';
import { buildModel } from '../models/build.js';
import type { MpiWorld } from '../distributed/world.js';
import { type DistributedSetup, globalWorkers, rankRanges, type RankPlacement, recordLayout, singleProcess } from '../protocol/ranks.js';
import type { ResolvedOptions } from './validate.js';

/**
 * Steps the workers may run ahead of the main thread's reading of the ring. An ungated run only
 * waits when the main thread falls this far behind (a long onStep, a busy event loop).
 */
const RING_CAPACITY = 64;

function planAccumulateSlots(workers: number): { bases: number[]; total: number } {
  return { bases: Array.from({ length: workers }, (_, w) => w), total: workers };
}

/** What a trainer builds on first use: the model, its shared buffers, the pool, the optimizer. */
export interface Setup {
  model: Module;
  buffers: SharedBuffers;
  block: StepBlock;
  ring: StepRing;
  pool: ThreadPool;
  optimizer: OptimizerState;
  /** Every region allocated from the main thread's allocator, to release on close. */
  regions: number[];
  /** This process among the MPI ranks (rank 0 of 1 without MPI). */
  placement: RankPlacement;
  /** The MPI world under distributed: 'mpi', else null. */
  world: MpiWorld | null;
  /** What the workers' ops run on, as they reported it after their last run (null before one). */
  workerKernels: string | null;
  /** The chunks the workers ran in the current fit (see FitResult's `chunks`). */
  chunkCounts: ChunkCounts;
}

/** The names of the parameters that get row-sparse gradients: the weights of `Embedding({ sparse: true })`. */
function sparseParameters(model: Module): string[] {
  return model
    .namedModules()
    .filter(([, m]) => m instanceof Embedding && m.sparse)
    .map(([name]) => (name === '' ? 'weight' : `${name}.weight`));
}

/**
 * Builds the model on the main thread (seeded), lays its parameters out in one flat shared
 * vector with gradient slots and optimizer state (of this rank's range) of the same layout, and its buffers in another
 * (with a slot of BatchNorm statistics per chunk), rebinds the model's parameters and buffers to
 * views of them, gives each worker thread a region of the memory for its
 * replica and arena, and starts the pool.
 */
export async function createSetup(o: ResolvedOptions): Promise<Setup> {
  // In a browser the kernel module is fetched (in Node this does nothing: it is read on first use).
  await loadWasmModule();
  manualSeed(o.seed);
  const model = await buildModel(o.model, o.factory === null ? {} : { factory: o.factory });
  const layout = planLayout(ownedParameters(model).map(({ name, param }) => ({ name, shape: param.shape })));
  const bufferLayout = planBufferLayout(model);
  const statisticsLayout = planStatistics(model);
  const optimizer = new OptimizerState(o.optimizer, o.scheduler);
  optimizer.checkGradients(sparseParameters(model));
  const { allocator, memory } = memoryContext();
  const regions: number[] = [];
  const alloc = (bytes: number): number => {
    const offset = allocator.alloc(bytes);
    regions.push(offset);
    return offset;
  };
  const P = layout.length;
  const maxChunks = Math.ceil(o.batchSize / o.microBatch);
  const world = o.distributed === 'mpi' ? await mpiRanks().processWorld(o.mpiLibrary) : null;
  const placement: RankPlacement = world ? { rank: world.rank, ranks: world.size, workers: o.workers } : singleProcess(o.workers);
  if (world) await mpiRanks().checkRanksAgree(world, o, P);
  const G = globalWorkers(placement);
  // Deterministic: each worker's block holds its fold's pending nodes; otherwise one
  // accumulating slot per worker. Every rank holds the blocks of every rank's workers, so that
  // the nodes they exchange land in the same slots everywhere.
  const slots = o.deterministic ? planSlots(maxChunks, G) : planAccumulateSlots(G);
  // MPI counts elements in C ints.
  if (world && slots.total * P >= 2 ** 31) {
    throw new RangeError(
      `DataParallelTrainer: ${slots.total} gradient slots of ${P} floats exceed MPI's 2^31-element counts; use fewer chunks per batch (a larger microBatch) or fewer workers`,
    );
  }
  const slotCount = slots.total;
  // The optimizer state of this rank's range only: its workers' slices, the ones it updates.
  const stateRange = rankRanges(P, placement.ranks, placement.workers)[placement.rank]!;
  const stateLength = stateRange[1] - stateRange[0];
  const state: Record<string, number> = {};
  for (const name of optimizer.bufferNames) state[name] = alloc(stateLength * 4);
  const buffers: SharedBuffers = {
    layout,
    params: alloc(P * 4),
    slots: alloc(slotCount * P * 4),
    slotCount,
    slotBases: slots.bases,
    state,
    stateRange,
    moduleBuffers: alloc(bufferLayout.length * 4),
    bufferLayout,
    statistics: alloc(maxChunks * statisticsLayout.stride * 8),
    statisticsLayout,
  };
  // Reused memory holds old bytes: the padding between parameters must read zero in every buffer
  // (backward never writes there).
  new Float32Array(memory.buffer, buffers.params, P).fill(0);
  new Float32Array(memory.buffer, buffers.slots, slotCount * P).fill(0);
  new Float32Array(memory.buffer, buffers.moduleBuffers, bufferLayout.length).fill(0);
  for (const [name, offset] of Object.entries(state)) optimizer.initBuffer(name, new Float32Array(memory.buffer, offset, stateLength));
  bindParameters(model, memory, buffers, true);
  bindModuleBuffers(model, memory, buffers.moduleBuffers, bufferLayout, true);
  // A replica (P floats), its arena for one micro-batch and the kernels' scratch.
  const regionBytes = o.workerMemory ?? Math.max(64 << 20, 6 * P * 4 + (48 << 20));
  const block = StepBlock.create(maxChunks, o.workers, G);
  const ring = StepRing.create(RING_CAPACITY, G);
  const distributed: DistributedSetup | null = world
    ? {
        rank: world.rank,
        ranks: world.size,
        control: world.controlBuffer,
        records: alloc(world.size * recordLayout(maxChunks, o.workers).floats * 8),
      }
    : null;
  const workerSetup: WorkerSetup = {
    memory: memory.memory,
    regions: Array.from({ length: o.workers }, () => ({ base: alloc(regionBytes), bytes: regionBytes })),
    claim: new Int32Array(new SharedArrayBuffer(4)),
    buffers,
    stepBlock: { buffer: block.buffer, maxChunks, workers: o.workers },
    stepRing: { buffer: ring.buffer, capacity: RING_CAPACITY },
    wasmModule: kernelInfo().backend === 'js' ? null : wasmModule(),
    model: o.model,
    factoryModel: o.factory === null ? null : String(model),
    loss: o.loss,
    training: {
      seed: o.seed,
      batchSize: o.batchSize,
      microBatch: o.microBatch,
      optimizer: o.optimizer,
      scheduler: o.scheduler,
      deterministic: o.deterministic,
      replaySteps: o.replaySteps,
      l1: o.l1,
      l2: o.l2,
      clipGradNorm: o.clipGradNorm ?? null,
      onNonFinite: o.onNonFinite,
    },
    distributed,
  };
  return {
    model,
    buffers,
    block,
    ring,
    pool: platform().createPool(o.workers, workerSetup),
    optimizer,
    regions,
    placement,
    world,
    workerKernels: null,
    chunkCounts: { replayed: 0, normal: 0 },
  };
}

/**
 * Stops the workers, gives the model parameters and buffers of its own (copies of the trained
 * values, so the model stays usable) and returns every shared region to the allocator.
 */
export async function releaseSetup(setup: Setup): Promise<void> {
  await setup.pool.destroy();
  for (const { owner, key, param } of ownedParameters(setup.model)) {
    (owner as unknown as Record<string, unknown>)[key] = persistent(() => new Parameter(clone(param.detach())));
  }
  unbindModuleBuffers(setup.model, (t) => persistent(() => clone(t)));
  const { allocator } = memoryContext();
  for (const offset of setup.regions) allocator.release(offset);
  setup.regions.length = 0;
}
