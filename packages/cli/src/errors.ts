/** Exit statuses of the `loom` command. */
export const ExitCode = {
  ok: 0,
  /** Training (or evaluation) failed after it started. */
  failure: 1,
  /** Bad input: an unknown flag, an invalid value, a missing file or column. */
  usage: 2,
  /** Stopped by Ctrl-C (SIGINT) after writing a checkpoint: 128 + the signal number, as shells do. */
  interrupted: 130,
} as const;

/** Bad input from the user: reported on one line, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure while training or evaluating: reported on one line, exit status 1. */
export class TrainingError extends Error {
  override readonly name = 'TrainingError';
}

/** The exit status an error maps to. */
export function exitCodeOf(error: unknown): number {
  return error instanceof UsageError ? ExitCode.usage : ExitCode.failure;
}

/** The one line printed for an error: its message with newlines folded, no stack. */
export function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `loom: ${message.replace(/\s*\n\s*/g, ' ')}`;
}
