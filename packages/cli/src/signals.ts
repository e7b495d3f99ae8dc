import { onStdoutClosed } from './output/stdout.js';

/** The signals that stop `loom train` with a checkpoint, and their exit statuses (128 + the signal number, as shells report). */
export const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;
/** A reader that closed stdout (`| head`): the status of a process killed by SIGPIPE. */
export const EPIPE_EXIT = 141;

/** What asked the run to stop, and the exit status that goes with it. */
export interface StopRequest {
  by: StopSignal | 'EPIPE';
  exitCode: number;
}

/**
 * Ctrl-C, SIGTERM and SIGHUP (what Slurm, Kubernetes and systemd send before killing) ask the run
 * to stop at the next step boundary with a checkpoint; a second one quits at once (`exitNow`), also
 * while a step hangs. A closed stdout asks the same, quietly. Returns the function that uninstalls
 * the handlers.
 */
export function handleStopRequests(
  controller: AbortController,
  notice: (message: string) => void,
  exitNow: (code: number) => void,
): { uninstall: () => void; request: () => StopRequest | null } {
  let request: StopRequest | null = null;
  const handlers = Object.entries(STOP_SIGNALS).map(([signal, exitCode]) => {
    const handler = (): void => {
      if (request !== null) {
        exitNow(exitCode);
        return;
      }
      request = { by: signal as StopSignal, exitCode };
      controller.abort();
      notice(`${signal}: stopping after this step to write a checkpoint (send it again to quit without one)`);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  const offStdout = onStdoutClosed(() => {
    if (request !== null) return;
    request = { by: 'EPIPE', exitCode: EPIPE_EXIT };
    controller.abort();
  });
  return {
    uninstall: () => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      offStdout();
    },
    request: () => request,
  };
}
