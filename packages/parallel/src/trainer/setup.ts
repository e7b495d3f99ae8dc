import { clone, kernelInfo, manualSeed, memoryContext, type Module, Parameter, persistent, wasmModule } from '@loom/core';
import type { Piscina } from 'piscina';
import type { Task, WorkerSetup } from '../worker/messages.js';
import { StepBlock } from '../worker/step-block.js';
import { planLayout } from './layout.js';
import { OptimizerState } from './optimizer-state.js';
import { createPool } from './pool.js';
import { bindParameters, ownedParameters, type SharedBuffers } from './shared-buffers.js';
import { buildModel } from './spec.js';
import type { ResolvedOptions } from './validate.js';

/** What a trainer builds on first use: the model, its shared buffers, the pool, the optimizer. */
export interface Setup {
  model: Module;
  buffers: SharedBuffers;
  block: StepBlock;
  pool: Piscina<Task, unknown>;
  optimizer: OptimizerState;
  /** Every region allocated from the main thread's allocator, to release on close. */
  regions: number[];
}

/**
 * Builds the model on the main thread (seeded), lays its parameters out in one flat shared
 * vector with gradient slots and optimizer state of the same layout, rebinds the model's
 * parameters to views of that vector, gives each worker thread a region of the memory for its
 * replica and arena, and starts the pool.
 */
export async function createSetup(o: ResolvedOptions): Promise<Setup> {
  manualSeed(o.seed);
  const model = await buildModel(o.model);
  const layout = planLayout(ownedParameters(model).map(({ name, param }) => ({ name, shape: param.shape })));
  const optimizer = new OptimizerState(o.optimizer, o.scheduler);
  const { allocator, memory } = memoryContext();
  const regions: number[] = [];
  const alloc = (bytes: number): number => {
    const offset = allocator.alloc(bytes);
    regions.push(offset);
    return offset;
  };
  const P = layout.length;
  const slotCount = Math.ceil(o.batchSize / o.microBatch);
  const state: Record<string, number> = {};
  for (const name of optimizer.bufferNames) state[name] = alloc(P * 4);
  const buffers: SharedBuffers = {
    layout,
    params: alloc(P * 4),
    slots: alloc(slotCount * P * 4),
    slotCount,
    state,
    indices: alloc(o.batchSize * 4),
    batchCapacity: o.batchSize,
  };
  // Reused memory holds old bytes: the padding between parameters must read zero in every buffer
  // (backward never writes there).
  new Float32Array(memory.buffer, buffers.params, P).fill(0);
  new Float32Array(memory.buffer, buffers.slots, slotCount * P).fill(0);
  for (const [name, offset] of Object.entries(state)) optimizer.initBuffer(name, new Float32Array(memory.buffer, offset, P));
  bindParameters(model, memory, buffers, true);
  // A replica (P floats), its arena for one micro-batch and the kernels' scratch.
  const regionBytes = o.workerMemory ?? Math.max(64 << 20, 6 * P * 4 + (48 << 20));
  const block = StepBlock.create(slotCount, o.workers);
  const workerSetup: WorkerSetup = {
    memory: memory.memory,
    regions: Array.from({ length: o.workers }, () => ({ base: alloc(regionBytes), bytes: regionBytes })),
    claim: new Int32Array(new SharedArrayBuffer(4)),
    buffers,
    stepBlock: { buffer: block.buffer, maxChunks: slotCount, workers: o.workers },
    wasmModule: kernelInfo().backend === 'js' ? null : wasmModule(),
    model: o.model,
    loss: o.loss,
    seed: o.seed,
  };
  return { model, buffers, block, pool: createPool(o.workers, workerSetup), optimizer, regions };
}

/**
 * Stops the workers, gives the model parameters of its own (copies of the trained values, so
 * the model stays usable) and returns every shared region to the allocator.
 */
export async function releaseSetup(setup: Setup): Promise<void> {
  await setup.pool.destroy();
  for (const { owner, key, param } of ownedParameters(setup.model)) {
    (owner as unknown as Record<string, unknown>)[key] = persistent(() => new Parameter(clone(param.detach())));
  }
  const { allocator } = memoryContext();
  for (const offset of setup.regions) allocator.release(offset);
  setup.regions.length = 0;
}
