import { Piscina } from 'piscina';
import type { Task, WorkerSetup } from '../protocol/messages.js';
import type { ThreadPool } from '../platform/platform.js';

/**
 * piscina loads its task file with require() first. On Node versions where require() of an ES
 * module is on by default, that path has crashed the whole process with a V8 fatal error
 * (`v8::Module::IsGraphAsync`, seen in the parallel suite); turning it off in the workers makes
 * require() throw ERR_REQUIRE_ESM at once, and piscina falls back to import(). Older Node has
 * neither the feature nor the flag.
 */
const REQUIRE_MODULE_OFF = process.allowedNodeEnvironmentFlags.has('--no-experimental-require-module')
  ? ['--no-experimental-require-module']
  : [];

/**
 * The parent's flags a worker may be given: a Worker refuses V8 flags (`node --trace-gc train.mjs`
 * threw ERR_WORKER_INVALID_EXEC_ARGV), which apply to every thread of the process anyway. Node's
 * own options are the ones it lists in `allowedNodeEnvironmentFlags`; arguments not starting with
 * `--` are their values. The few V8 flags that list also holds (`--max-old-space-size`,
 * `--expose-gc`, …) still reach the Worker, which refuses them, naming them.
 */
const WORKER_EXEC_ARGV = [
  ...process.execArgv.filter((arg) => !arg.startsWith('--') || process.allowedNodeEnvironmentFlags.has(arg.split('=')[0]!)),
  ...REQUIRE_MODULE_OFF,
];

/**
 * The piscina pool running every task in Node, exactly `workers` threads, none idling out (a new
 * thread would rebuild its replica). A worker thread that dies rejects its task, which rejects `fit`.
 */
export function createPool(workers: number, setup: WorkerSetup): ThreadPool {
  return new Piscina<Task, unknown>({
    filename: new URL('../worker/worker.js', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: Number.POSITIVE_INFINITY,
    concurrentTasksPerWorker: 1,
    workerData: setup,
    execArgv: WORKER_EXEC_ARGV,
  });
}
