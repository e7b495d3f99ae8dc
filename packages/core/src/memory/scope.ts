import type { ArenaCopy } from './arena.js';

/**
 * One call of `withArena`. Tensors allocated in it hold their scope: once it has ended, their
 * arena bytes belong to whatever came next, so reading them throws — unless the scope kept a
 * copy of its bytes for a returned tensor's autograd graph (`kept`), which they are read from.
 */
export class ArenaScope {
  ended = false;
  /** The scope's arena bytes, copied when it returned a tensor whose graph still needs them. */
  kept: readonly ArenaCopy[] | null = null;

  constructor(readonly id: number) {}

  /** The bytes at `[offset, offset + bytes)` from the kept copy, as a new buffer. */
  keptBytes(offset: number, bytes: number): ArrayBuffer {
    for (const copy of this.kept ?? []) {
      const start = offset - copy.offset;
      if (start >= 0 && start + bytes <= copy.bytes.length) return copy.bytes.slice(start, start + bytes).buffer;
    }
    throw new Error(`Loom memory: region ${offset} is not in the kept copy of withArena scope #${this.id}`);
  }

  /** The error for a tensor of this scope read after it ended. */
  endedError(): Error {
    return new Error(
      `this tensor was created inside withArena (scope #${this.id}) and read after that scope ended: its memory ` +
        'now holds other tensors. Return it from the function given to withArena (returned tensors, and arrays ' +
        'or objects of tensors, are kept), create it inside persistent(() => …), or do not use withArena here.',
    );
  }
}
