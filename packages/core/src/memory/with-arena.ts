import { Tensor } from '../tensor/tensor.js';
import { closeScope, openScope } from './context.js';
import type { ArenaScope } from './scope.js';

/**
 * Takes the tensors in `value` (a tensor, or arrays and plain objects of them) out of `scope`;
 * true when one of them carries an autograd graph, whose saved tensors may be anywhere in it.
 */
function keepReturned(value: unknown, scope: ArenaScope, depth = 0): boolean {
  if (value instanceof Tensor) {
    value.storage.keepFrom(scope);
    return value.gradFn !== null;
  }
  if (typeof value !== 'object' || value === null || depth > 32) return false;
  let graph = false;
  if (Array.isArray(value)) {
    for (const item of value) graph = keepReturned(item, scope, depth + 1) || graph;
    return graph;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  for (const item of Object.values(value)) graph = keepReturned(item, scope, depth + 1) || graph;
  return graph;
}

/**
 * Runs `fn` with every new tensor allocated from this thread's arena, then frees them all at once
 * (as TensorFlow.js's `tidy`): a speed tool for hot loops, which then allocate nothing.
 *
 * What `fn` returns stays valid: a tensor, or arrays and plain objects of tensors, are copied out
 * (into persistent memory on their next use); a returned tensor's autograd graph keeps working,
 * from a copy of the scope's bytes. Any other tensor created inside and read after the scope
 * throws, naming the scope and the fix. Leaf gradients, optimizer state and tensors created in
 * `persistent()` are never in the arena.
 * @param fn - a synchronous function, called once; its result is returned (the scope ends when it
 *   returns, so an async function's tensors would not survive its first await)
 */
export function withArena<T>(fn: () => T): T {
  const opened = openScope();
  try {
    const result = fn();
    if (typeof result === 'object' && result !== null && keepReturned(result, opened.scope)) {
      opened.scope.kept = opened.arena.copySince(opened.mark);
    }
    return result;
  } finally {
    closeScope(opened);
  }
}
