/**
 * Whether stdout went away (a reader like `| head` closed the pipe): from then on nothing more is
 * written to it, and `loom train` stops as on Ctrl-C, quietly. The bin entry point sets it.
 */
let closed = false;
const listeners: (() => void)[] = [];

export function quietStdout(): boolean {
  return closed;
}

/** Called once stdout reports EPIPE; returns whether anyone (a running `loom train`) handles it. */
export function stdoutClosed(): boolean {
  closed = true;
  for (const listener of listeners) listener();
  return listeners.length > 0;
}

/** Runs `listener` when stdout closes; returns the function that removes it. */
export function onStdoutClosed(listener: () => void): () => void {
  listeners.push(listener);
  return () => {
    const i = listeners.indexOf(listener);
    if (i >= 0) listeners.splice(i, 1);
  };
}
