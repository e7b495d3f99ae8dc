import { BYTES_PER_ELEMENT, type DType, type TypedArray } from '../dtype.js';
import type { Allocator } from '../memory/allocator.js';
import { inArena, memoryContext } from '../memory/context.js';
import type { SharedMemory } from '../memory/shared-memory.js';

/**
 * Persistent regions are given back to their allocator when their Storage is collected. (The
 * registry's callbacks run between event-loop tasks, never inside a long synchronous loop: hot
 * loops allocate from `withArena`, and gradients cleared by `zeroGrad` are released at once.)
 */
const releaseOnCollect = new FinalizationRegistry<{ allocator: Allocator; byteOffset: number }>(
  ({ allocator, byteOffset }) => allocator.release(byteOffset),
);

/**
 * A region of the shared memory holding `length` elements of one dtype. Tensors are views of a
 * storage; several tensors may share one.
 */
export class Storage {
  private cached: TypedArray | null = null;
  /** The allocator of a persistent region that `release()` may give back; null otherwise. */
  private owner: Allocator | null = null;
  private released = false;

  constructor(
    readonly memory: SharedMemory,
    readonly byteOffset: number,
    readonly length: number,
    readonly dtype: DType,
  ) {}

  /**
   * A new uninitialised region: from this thread's arena inside `withArena`, otherwise a
   * persistent region freed when the storage is garbage collected.
   */
  static allocate(dtype: DType, length: number): Storage {
    const ctx = memoryContext();
    const bytes = length * BYTES_PER_ELEMENT[dtype];
    if (inArena()) return new Storage(ctx.memory, ctx.arena.alloc(bytes), length, dtype);
    const byteOffset = ctx.allocator.alloc(bytes);
    const storage = new Storage(ctx.memory, byteOffset, length, dtype);
    storage.owner = ctx.allocator;
    releaseOnCollect.register(storage, { allocator: ctx.allocator, byteOffset }, storage);
    return storage;
  }

  /**
   * Gives a persistent region back to its allocator now instead of at garbage collection (for
   * gradients cleared by `zeroGrad`). Any later access to the storage throws instead of reading
   * memory that now belongs to something else. Arena and view storages are left alone.
   */
  release(): void {
    if (!this.owner || this.released) return;
    releaseOnCollect.unregister(this);
    this.owner.release(this.byteOffset);
    this.released = true;
    this.cached = null;
  }

  /** A storage over a region someone else owns (a worker's view of shared parameters). */
  static view(memory: SharedMemory, byteOffset: number, length: number, dtype: DType): Storage {
    return new Storage(memory, byteOffset, length, dtype);
  }

  /** The region as a typed array of exactly `length` elements. */
  array(): TypedArray {
    if (this.released) {
      throw new Error('this tensor\'s memory was released (a gradient cleared by zeroGrad): copy a gradient before clearing it to keep it');
    }
    if (!this.cached) {
      const buffer = this.memory.buffer;
      switch (this.dtype) {
        case 'float32':
          this.cached = new Float32Array(buffer, this.byteOffset, this.length);
          break;
        case 'float64':
          this.cached = new Float64Array(buffer, this.byteOffset, this.length);
          break;
        case 'int32':
          this.cached = new Int32Array(buffer, this.byteOffset, this.length);
          break;
        case 'bool':
          this.cached = new Uint8Array(buffer, this.byteOffset, this.length);
          break;
      }
    }
    return this.cached;
  }
}
