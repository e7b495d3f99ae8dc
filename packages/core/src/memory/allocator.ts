import { IntTable } from './int-table.js';
import type { SharedMemory } from './shared-memory.js';

/** Every region starts on a 64-byte boundary: a cache line, and whole SIMD vectors. */
export const ALIGNMENT = 64;

function alignUp(n: number): number {
  return Math.ceil(n / ALIGNMENT) * ALIGNMENT;
}

/** Blocks up to this many 64-byte units (128 KiB) have a bin of their exact size. */
const EXACT_UNITS = 2048;

/** Bins in all: the exact sizes 1…EXACT_UNITS, then one per power of two up to 4 GiB. */
const BIN_COUNT = EXACT_UNITS + 1 + 32 - 11;

/**
 * The bin of a free block of `bytes` (a multiple of 64): its exact size in 64-byte units up to
 * EXACT_UNITS, then one bin per power of two (2^11 to 2^12 − 1 units, …).
 */
function binOf(bytes: number): number {
  const units = bytes / ALIGNMENT;
  return units <= EXACT_UNITS ? units : EXACT_UNITS + 31 - Math.clz32(units) - 10;
}

/**
 * Allocator of regions of a range [base, limit) of the shared memory.
 *
 * Used for persistent regions (parameters, gradients, optimizer state, datasets) and for the
 * arena's blocks. Free blocks are kept in bins of their exact size (up to 128 KiB; one bin per
 * power of two above), and a bitmap of the bins that hold any, so that a request is served in
 * constant time: a single address-ordered list cost a plain training loop 67 µs a step once its
 * many small dead tensors had cut the memory into thousands of fragments. A request takes the
 * most recently freed block of its size (likely still in the CPU's caches), else one of the next
 * size that has any, split. A freed block merges with free neighbours on either side at once
 * (both ends are indexed); when nothing fits, the top of the used range rises, and the memory
 * grows if it must. `highWater` is the top: the number of bytes this allocator ever needed at once.
 */
export class Allocator {
  private top: number;
  /** Tables are keyed and valued in 64-byte units (offset / 64), which fit an int32 up to 4 GiB. */
  private readonly sizes = new IntTable();
  private inUseBytes = 0;
  /** Free blocks: size by start, start by end, starts by bin (offsets in bytes in the bins). */
  private readonly freeUnits = new IntTable();
  private readonly freeEndingAt = new IntTable();
  private readonly bins: number[][] = Array.from({ length: BIN_COUNT }, () => []);
  /** Bit b is set when bin b holds a block. */
  private readonly nonEmpty = new Uint32Array(Math.ceil(BIN_COUNT / 32));
  /** Where each free block's start is in its bin. */
  private readonly binSlot = new IntTable();

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
    let offset = this.takeFree(bytes);
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
    this.sizes.set(offset / ALIGNMENT, bytes / ALIGNMENT);
    this.inUseBytes += bytes;
    return offset;
  }

  /**
   * Returns a region to the free blocks, merging it with free neighbours.
   * @param offset - the byte offset `alloc` or `tryAlloc` returned; anything else (or a second
   *   release) throws.
   */
  release(offset: number): void {
    const units = offset % ALIGNMENT === 0 && offset >= 0 ? this.sizes.get(offset / ALIGNMENT) : -1;
    if (units < 0) throw new Error(`Loom memory: double free or foreign region at ${offset}`);
    this.sizes.delete(offset / ALIGNMENT);
    let bytes = units * ALIGNMENT;
    this.inUseBytes -= bytes;
    const after = this.freeBytes(offset + bytes);
    if (after > 0) {
      this.removeFree(offset + bytes, after);
      bytes += after;
    }
    const before = this.freeEndingAt.get(offset / ALIGNMENT);
    if (before >= 0) {
      const start = before * ALIGNMENT;
      const beforeBytes = this.freeBytes(start);
      this.removeFree(start, beforeBytes);
      offset = start;
      bytes += beforeBytes;
    }
    if (offset + bytes === this.top) this.top = offset;
    else this.addFree(offset, bytes);
  }

  /** The size of the free block at `start`, or -64 (negative) when none starts there. */
  private freeBytes(start: number): number {
    return this.freeUnits.get(start / ALIGNMENT) * ALIGNMENT;
  }

  /** The start of a free block of at least `bytes`, split to exactly `bytes`; -1 if none. */
  private takeFree(bytes: number): number {
    const wanted = binOf(bytes);
    let bin = this.nextNonEmpty(wanted);
    if (bin === wanted && wanted > EXACT_UNITS) {
      // A power-of-two bin holds sizes around the request's: take the latest block that fits.
      const blocks = this.bins[bin]!;
      for (let i = blocks.length - 1; i >= 0; i--) {
        const size = this.freeBytes(blocks[i]!);
        if (size >= bytes) return this.split(blocks[i]!, size, bytes);
      }
      bin = this.nextNonEmpty(wanted + 1);
    }
    if (bin < 0) return -1;
    // An exact bin of the request's size, or any block of a larger bin: every one fits.
    const start = this.bins[bin]!.at(-1)!;
    return this.split(start, this.freeBytes(start), bytes);
  }

  /** Takes the free block at `start` of `size` bytes, giving back what is past `bytes`. */
  private split(start: number, size: number, bytes: number): number {
    this.removeFree(start, size);
    if (size > bytes) this.addFree(start + bytes, size - bytes);
    return start;
  }

  /** The first bin from `from` on that holds a block, or -1. */
  private nextNonEmpty(from: number): number {
    let w = from >>> 5;
    if (w >= this.nonEmpty.length) return -1;
    let word = this.nonEmpty[w]! & (~0 << (from & 31));
    while (word === 0) {
      if (++w >= this.nonEmpty.length) return -1;
      word = this.nonEmpty[w]!;
    }
    return (w << 5) + 31 - Math.clz32(word & -word);
  }

  private addFree(start: number, bytes: number): void {
    this.freeUnits.set(start / ALIGNMENT, bytes / ALIGNMENT);
    this.freeEndingAt.set((start + bytes) / ALIGNMENT, start / ALIGNMENT);
    const k = binOf(bytes);
    const bin = this.bins[k]!;
    this.binSlot.set(start / ALIGNMENT, bin.length);
    bin.push(start);
    this.nonEmpty[k >>> 5]! |= 1 << (k & 31);
  }

  private removeFree(start: number, bytes: number): void {
    this.freeUnits.delete(start / ALIGNMENT);
    this.freeEndingAt.delete((start + bytes) / ALIGNMENT);
    const k = binOf(bytes);
    const bin = this.bins[k]!;
    const slot = this.binSlot.get(start / ALIGNMENT);
    const last = bin.pop()!;
    if (last !== start) {
      bin[slot] = last;
      this.binSlot.set(last / ALIGNMENT, slot);
    }
    this.binSlot.delete(start / ALIGNMENT);
    if (bin.length === 0) this.nonEmpty[k >>> 5]! &= ~(1 << (k & 31));
  }
}
