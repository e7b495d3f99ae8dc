import type { SharedMemory } from './shared-memory.js';

/** Every region starts on a 64-byte boundary: a cache line, and whole SIMD vectors. */
export const ALIGNMENT = 64;

function alignUp(n: number): number {
  return Math.ceil(n / ALIGNMENT) * ALIGNMENT;
}

interface FreeBlock {
  offset: number;
  bytes: number;
}

/**
 * First-fit allocator of regions of a range [base, limit) of the shared memory.
 *
 * Used for persistent regions (parameters, gradients, optimizer state, datasets) and for the
 * arena's blocks. Freed blocks are coalesced with their neighbours; when nothing fits, the top of
 * the used range rises, and the memory grows if it must. `highWater` is the top: the number of
 * bytes this allocator ever needed at once.
 */
export class Allocator {
  private top: number;
  private readonly free: FreeBlock[] = [];
  private readonly sizes = new Map<number, number>();
  private inUseBytes = 0;

  /**
   * @param memory - the shared memory the regions are carved from; grown on demand.
   * @param base - the first byte offset this allocator may hand out (rounded up to 64 bytes).
   * @param limit - the byte offset past the last one it may use; allocations beyond it fail.
   */
  constructor(
    readonly memory: SharedMemory,
    readonly base: number,
    readonly limit: number,
  ) {
    this.top = alignUp(base);
  }

  /** Bytes currently allocated. */
  get bytesInUse(): number {
    return this.inUseBytes;
  }

  /** The highest byte offset ever handed out (relative to the memory's start). */
  get highWater(): number {
    return this.top;
  }

  /**
   * A free region of at least `requested` bytes: its byte offset in the memory, 64-byte aligned.
   * Throws a RangeError when the region (or the machine) is full.
   * @param requested - bytes needed; rounded up to a multiple of 64 (0 gets 64).
   */
  alloc(requested: number): number {
    const offset = this.tryAlloc(requested);
    if (offset < 0) {
      throw new RangeError(
        `Loom memory: out of memory allocating ${requested} bytes ` +
          `(${this.inUseBytes} of ${this.limit - this.base} bytes of this region in use)`,
      );
    }
    return offset;
  }

  /**
   * Like `alloc`, but returns -1 instead of throwing when the region (or the machine) is full.
   * @param requested - bytes needed; rounded up to a multiple of 64 (0 gets 64).
   */
  tryAlloc(requested: number): number {
    const bytes = alignUp(Math.max(requested, 1));
    let offset = -1;
    for (let i = 0; i < this.free.length; i++) {
      const block = this.free[i]!;
      if (block.bytes < bytes) continue;
      offset = block.offset;
      if (block.bytes === bytes) this.free.splice(i, 1);
      else {
        block.offset += bytes;
        block.bytes -= bytes;
      }
      break;
    }
    if (offset < 0) {
      if (this.top + bytes > this.limit) return -1;
      try {
        this.memory.ensure(this.top + bytes);
      } catch (error) {
        if (error instanceof RangeError) return -1; // the memory cannot grow that far
        throw error;
      }
      offset = this.top;
      this.top += bytes;
    }
    this.sizes.set(offset, bytes);
    this.inUseBytes += bytes;
    return offset;
  }

  /**
   * Returns a region to the free list, merging it with free neighbours.
   * @param offset - the byte offset `alloc` or `tryAlloc` returned; anything else (or a second
   *   release) throws.
   */
  release(offset: number): void {
    const bytes = this.sizes.get(offset);
    if (bytes === undefined) throw new Error(`Loom memory: double free or foreign region at ${offset}`);
    this.sizes.delete(offset);
    this.inUseBytes -= bytes;
    // Keep the free list sorted by offset so that neighbours can merge.
    let i = 0;
    while (i < this.free.length && this.free[i]!.offset < offset) i++;
    this.free.splice(i, 0, { offset, bytes });
    const next = this.free[i + 1];
    if (next && offset + bytes === next.offset) {
      this.free[i]!.bytes += next.bytes;
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    if (prev && prev.offset + prev.bytes === offset) {
      prev.bytes += this.free[i]!.bytes;
      this.free.splice(i, 1);
    }
    const last = this.free[this.free.length - 1];
    if (last && last.offset + last.bytes === this.top) {
      this.top = last.offset;
      this.free.pop();
    }
  }
}
