/**
 * The piscina worker: runs step and eval tasks (or a persistent loop of step commands). Everything a task touches is in shared
 * memory, so any worker can run any task; the only per-thread state is the model replica, the
 * loss module and the dataset views, built once and cached here.
 */
import { attachMemory, type Module, type Parameter, SharedMemory, setWasmModule, type WasmMemory, type WasmModule } from '@loom/core';
import { workerData } from 'piscina';
import { buildModel } from '../trainer/spec.js';
import { bindParameters } from '../trainer/shared-buffers.js';
import { runLoop } from './loop.js';
import type { EvalResultPart, EvalTask, LoopTask, StepResult, StepTask, Task, WorkerSetup } from './messages.js';
import { runEval, type Replica } from './shard.js';
import { runStep } from './step.js';
import { StepBlock } from './step-block.js';

const setup = workerData as WorkerSetup;
// Each thread claims its own region of the memory. After a worker thread died, piscina starts a
// replacement while the trainer tears the pool down: that thread finds no region left and runs
// nothing (the trainer never sends it a task).
const region = setup.regions[Atomics.add(setup.claim, 0, 1)] ?? null;
const memory: SharedMemory = region
  ? attachMemory(setup.memory as WasmMemory, region.base, region.bytes).memory
  : new SharedMemory(setup.memory as WasmMemory);
const block = new StepBlock(setup.stepBlock.buffer, setup.stepBlock.maxChunks, setup.stepBlock.workers);
// The main thread compiled the kernel module once; instantiating it here needs no compile.
if (setup.wasmModule) setWasmModule(setup.wasmModule as WasmModule);

let replica: Promise<Replica> | null = null;

async function getReplica(): Promise<Replica> {
  replica ??= (async () => {
    const model: Module = await buildModel(setup.model);
    const params: Parameter[] = bindParameters(model, memory, setup.buffers, false);
    return { model, params, memory, setup };
  })();
  return replica;
}

/** Piscina calls this for every task. */
export default async function handle(task: Task): Promise<StepResult | EvalResultPart | null> {
  if (!region) throw new Error('loom worker: more worker threads than memory regions');
  switch (task.kind) {
    case 'step':
      return runStep(await getReplica(), memory, setup.buffers, block, task as StepTask);
    case 'eval':
      return runEval(await getReplica(), task as EvalTask);
    case 'loop': {
      const loop = task as LoopTask;
      const r = await getReplica();
      runLoop(loop.buffer, loop.workers, loop.index, loop.generation, (command) => {
        const step = command as StepTask;
        return runStep(r, memory, setup.buffers, block, step.shard ? { ...step, shard: { ...step.shard, dataset: loop.dataset } } : step);
      });
      return null;
    }
  }
}
