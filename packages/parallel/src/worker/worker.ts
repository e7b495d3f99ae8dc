/**
 * The piscina worker: runs runs of steps and evaluations, as piscina tasks or as commands of a
 * persistent loop. Everything a task touches is in shared memory, so any worker can play any
 * part; the only per-thread state is the context (model replica, loss, optimizer scalars,
 * caches), built once.
 */
import { workerData } from 'piscina';
import type { EvalResultPart, LoopCommand, RunResult, Task, WorkerSetup } from '../protocol/messages.js';
import { claimMemory, createContext, type WorkerContext } from './context.js';
import { runEval } from './eval.js';
import { runLoop } from './loop.js';
import { RunSteps } from './run.js';

const setup = workerData as WorkerSetup;
const memory = claimMemory(setup);

let context: Promise<{ ctx: WorkerContext; runner: RunSteps }> | null = null;

function getContext(): Promise<{ ctx: WorkerContext; runner: RunSteps }> {
  if (!memory) throw new Error('loom worker: more worker threads than memory regions');
  context ??= createContext(setup, memory).then((ctx) => ({ ctx, runner: new RunSteps(ctx) }));
  return context;
}

/** Piscina calls this for every task. */
export default async function handle(task: Task): Promise<RunResult | EvalResultPart | null> {
  const { ctx, runner } = await getContext();
  switch (task.kind) {
    case 'run':
      return runner.run(task, ctx.dataset(task.dataset!), task.dataset!.id);
    case 'eval':
      return runEval(ctx, task, ctx.dataset(task.dataset!));
    case 'loop': {
      const datasets = task.datasets.map((d) => ({ id: d.id, dataset: ctx.dataset(d) }));
      runLoop(task.mailbox, task.workers, task.index, task.generation, ctx.ring, (command: LoopCommand) => {
        switch (command.kind) {
          case 'run':
            return runner.run(command, datasets[0]!.dataset, datasets[0]!.id);
          case 'eval':
            return runEval(ctx, command, datasets[command.datasetIndex]!.dataset);
          case 'exit':
            return null;
        }
      });
      return null;
    }
  }
}
