import { ALIGNMENT } from './allocator.js';

const MIN_BLOCK_BYTES = 1 << 20;

/** A copy of part of the arena's bytes, from byte `offset` of the memory on. */
export interface ArenaCopy {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/** A position in the arena, to return to with `reset`. */
export interface ArenaMark {
  readonly block: number;
  readonly used: number;
}

/**
 * Bump allocator for temporaries (activations, gradients of intermediates).
 *
 * Its blocks come from an Allocator once and are kept: after the first training step every block
 * the step needs exists, so later steps allocate nothing from the allocator and the high-water
 * mark stays put. `reset(mark)` frees everything allocated after the mark at once.
 */
export class Arena {
  private readonly blocks: { offset: number; bytes: number }[] = [];
  private block = 0;
  private used = 0;
  /** The furthest position reached since `watchPeak` (nested scopes reset below it). */
  private peakBlock = 0;
  private peakUsed = 0;

  /**
   * `allocate(bytes)` gives a new block's byte offset in `memory` (a shared memory's bytes).
   * @param allocate - hands out a new block of `bytes` bytes (at least 1 MiB, doubling) and returns
   *   its byte offset; blocks are kept for the arena's life, never released.
   * @param memory - the current bytes of the whole memory (remade after a growth), read by `copySince`.
   */
  constructor(
    private readonly allocate: (bytes: number) => number,
    private readonly memory: () => Uint8Array,
  ) {}

  /** Total bytes held by the arena's blocks. */
  get capacity(): number {
    return this.blocks.reduce((sum, b) => sum + b.bytes, 0);
  }

  mark(): ArenaMark {
    return { block: this.block, used: this.used };
  }

  /**
   * Frees everything allocated after `mark` at once; later `alloc`s reuse those bytes.
   * @param mark - a position from `mark()`; default: the start, freeing everything.
   */
  reset(mark: ArenaMark = { block: 0, used: 0 }): void {
    this.block = mark.block;
    this.used = mark.used;
  }

  /**
   * Plain copies of everything allocated since `mark`, one per block.
   * @param mark - a position from `mark()`, at or before the current one.
   */
  copySince(mark: ArenaMark): ArenaCopy[] {
    const u8 = this.memory();
    const copies: ArenaCopy[] = [];
    for (let b = mark.block; b <= this.block && b < this.blocks.length; b++) {
      const block = this.blocks[b]!;
      const start = block.offset + (b === mark.block ? mark.used : 0);
      const end = block.offset + (b === this.block ? this.used : block.bytes);
      if (end > start) copies.push({ offset: start, bytes: u8.slice(start, end) });
    }
    return copies;
  }

  /** Starts tracking the furthest position allocated to, from the current one (see `peak`). */
  watchPeak(): void {
    this.peakBlock = this.block;
    this.peakUsed = this.used;
  }

  /** The furthest position allocated to since `watchPeak`, even if scopes were reset below it since. */
  peak(): ArenaMark {
    return { block: this.peakBlock, used: this.peakUsed };
  }

  /**
   * Writes `byte` over everything allocated between two positions (to poison temporaries in checks).
   * @param from - a position from `mark()`
   * @param to - a later position from `mark()`
   * @param byte - the value every byte gets
   */
  fillBetween(from: ArenaMark, to: ArenaMark, byte: number): void {
    const u8 = this.memory();
    for (let b = from.block; b <= to.block && b < this.blocks.length; b++) {
      const block = this.blocks[b]!;
      const start = block.offset + (b === from.block ? from.used : 0);
      const end = block.offset + (b === to.block ? to.used : block.bytes);
      if (end > start) u8.fill(byte, start, end);
    }
  }

  /**
   * The byte offset in the memory of `requested` fresh bytes (64-byte aligned), from the current
   * block or the next; a new block is allocated only when the kept ones are full.
   * @param requested - bytes needed; rounded up to a multiple of 64 (0 gets 64).
   */
  alloc(requested: number): number {
    const bytes = Math.ceil(Math.max(requested, 1) / ALIGNMENT) * ALIGNMENT;
    for (;;) {
      const current = this.blocks[this.block];
      if (current && this.used + bytes <= current.bytes) {
        const offset = current.offset + this.used;
        this.used += bytes;
        if (this.block > this.peakBlock || (this.block === this.peakBlock && this.used > this.peakUsed)) {
          this.peakBlock = this.block;
          this.peakUsed = this.used;
        }
        return offset;
      }
      if (this.block + 1 < this.blocks.length) {
        this.block++;
        this.used = 0;
        continue;
      }
      if (current) {
        this.block++;
        this.used = 0;
      }
      const last = this.blocks[this.blocks.length - 1];
      const blockBytes = Math.max(bytes, MIN_BLOCK_BYTES, last ? last.bytes * 2 : 0);
      this.blocks.push({ offset: this.allocate(blockBytes), bytes: blockBytes });
    }
  }
}
