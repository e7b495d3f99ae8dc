let enabled = true;

/** Whether ops currently record the autograd graph. */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Runs `fn` without recording the autograd graph, as `torch.no_grad()` does; returns its result.
 * @param fn - a synchronous function, called once; the previous mode comes back when it returns
 *   or throws (work after an `await` in it runs with whatever mode is current then)
 */
export function noGrad<T>(fn: () => T): T {
  const saved = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = saved;
  }
}

/**
 * Runs `fn` with graph recording on or off, as `torch.set_grad_enabled(mode)` used as a context; returns its result.
 * @param on - true records the graph (inside `noGrad` too), false does not
 * @param fn - a synchronous function, called once; the previous mode comes back when it returns or throws
 */
export function setGradEnabled<T>(on: boolean, fn: () => T): T {
  const saved = enabled;
  enabled = on;
  try {
    return fn();
  } finally {
    enabled = saved;
  }
}
