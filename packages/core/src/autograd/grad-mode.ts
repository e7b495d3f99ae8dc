let enabled = true;

/** Whether ops currently record the autograd graph. */
export function isGradEnabled(): boolean {
  return enabled;
}

/** Runs `fn` without recording the autograd graph, as `torch.no_grad()` does. */
export function noGrad<T>(fn: () => T): T {
  const saved = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = saved;
  }
}

/** Runs `fn` with graph recording on or off. */
export function setGradEnabled<T>(on: boolean, fn: () => T): T {
  const saved = enabled;
  enabled = on;
  try {
    return fn();
  } finally {
    enabled = saved;
  }
}
