import { oneWeightRun } from '../micro/sync.js';

/** How one worker count fared. */
export interface BarrierCheck {
  workers: number;
  ok: boolean;
  /** Milliseconds the check took, or the error. */
  ms: number;
  error?: string;
}

/** Rejects after `ms` with a message naming what did not finish. */
function deadline(ms: number, what: string): { promise: Promise<never>; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return { promise, clear: () => clearTimeout(timer) };
}

/**
 * Before a long study on a new machine: `steps` whole steps of a one-weight model at each worker
 * count (one sample per worker, so a step is nearly all barrier and ring traffic), each count
 * within `timeoutMs`, with the trainer's step watchdog at `stepTimeoutMs`. A barrier that
 * deadlocks or stalls on this machine's core count fails here in seconds, not an hour into the run.
 */
export async function checkBarrier(
  workerCounts: readonly number[],
  o: { steps: number; timeoutMs: number; stepTimeoutMs: number },
): Promise<BarrierCheck[]> {
  const results: BarrierCheck[] = [];
  for (const workers of workerCounts) {
    const { data, trainer } = oneWeightRun(workers, o.steps, { stepTimeout: o.stepTimeoutMs });
    const t0 = performance.now();
    const limit = deadline(o.timeoutMs, `${o.steps} steps on ${workers} workers`);
    try {
      const done = await Promise.race([trainer.fit(data, { epochs: 1 }), limit.promise]);
      if (done.step !== o.steps) throw new Error(`${done.step} steps of ${o.steps} ran`);
      results.push({ workers, ok: true, ms: performance.now() - t0 });
      await trainer.close();
    } catch (error) {
      // A stuck trainer is left to the process's exit: closing it would wait on the stuck threads.
      results.push({ workers, ok: false, ms: performance.now() - t0, error: (error as Error).message });
      break;
    } finally {
      limit.clear();
    }
  }
  return results;
}
