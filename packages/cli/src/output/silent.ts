import type { Reporter } from './events.js';

/**
 * The reporter of every MPI rank but rank 0: the ranks train as one, so only rank 0 reports
 * (rank 0 alone also writes the run directory). A rank's own errors are still printed.
 */
export class SilentReporter implements Reporter {
  start(): void {}
  step(): void {}
  epoch(): void {}
  checkpoint(): void {}
  done(): void {}
  notice(): void {}
  stop(): void {}
}
