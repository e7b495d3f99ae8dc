/** The headroom grows to at most this many times its least. */
const MAX_GROWTH = 64;

/** Passes in a row with nothing brought back before the headroom halves. */
const QUIET_PASSES = 16;

/**
 * How many persistent bytes may pile up past what the last pass kept before Residency's next pass.
 *
 * 16 MiB by default. Smaller would keep the regions a loop cycles through in the CPU's caches
 * (outside them, each op's fresh output region costs more than the op: bench/plain-loop.mjs, the
 * public matmul), but with megabyte tensors every allocation would then run a pass, and two passes
 * inside one op move out a region that op still holds (PyTorch's MNIST example trained to NaN at
 * 1 MiB). Too small, and a pass moves out values still in use (a step's activations before its
 * backward reads them), which then come back: two copies each. So the headroom adapts: when
 * regions moved out come back in quantity, it doubles (as often as needed) to what would have
 * kept them in, up to MAX_GROWTH times its least; after QUIET_PASSES passes with none it halves,
 * but never again below a size whose halving brought regions back. A few bytes read long after
 * (a loss kept for a log) or values reused too late for any headroom do not count.
 */
export class Headroom {
  private least = 16 * 1024 * 1024;
  /** The headroom is `minBytes` times this power of two. */
  private growth = 1;
  /** The least growth since halving it brought regions back. */
  private floor = 1;
  /** The growth before the last halving (0: none yet). */
  private halvedFrom = 0;
  private quietPasses = 0;
  /** Bytes brought back since the last pass, and the growth that would have kept them in. */
  private returnedBytes = 0;
  private growthNeeded = 1;

  /** The least headroom, in bytes. Setting it starts the adaptation afresh from that least. */
  get minBytes(): number {
    return this.least;
  }

  set minBytes(bytes: number) {
    if (!(bytes > 0) || !Number.isFinite(bytes)) throw new RangeError(`Headroom.minBytes: expected a positive number of bytes, got ${bytes}`);
    this.least = bytes;
    this.growth = 1;
    this.floor = 1;
    this.halvedFrom = 0;
    this.quietPasses = 0;
    this.returnedBytes = 0;
    this.growthNeeded = 1;
  }

  /**
   * The headroom now, or a quarter of what the last pass kept, if more.
   * @param keptBytes - resident bytes the last pass kept.
   */
  bytes(keptBytes: number): number {
    return Math.max(this.least * this.growth, keptBytes / 4);
  }

  /**
   * Notes a region being brought back into the shared memory.
   * @param bytes - its size.
   * @param passesAgo - how many passes ran since the one that moved it out.
   */
  returned(bytes: number, passesAgo: number): void {
    this.returnedBytes += bytes;
    // It was unused for the passesAgo + 3 pass intervals since its last use (a pass moves out what
    // two pass starts in a row did not see used, then passesAgo more went by), and a region
    // survives two: a headroom (passesAgo + 3) / 2 times this one would have kept it in.
    this.growthNeeded = Math.max(this.growthNeeded, (this.growth * (passesAgo + 3)) / 2);
  }

  /** Adapts the headroom at a pass to what was brought back since the previous one. */
  pass(): void {
    const thrashed = this.returnedBytes * 16 >= this.least;
    const growth = 2 ** Math.ceil(Math.log2(this.growthNeeded));
    this.returnedBytes = 0;
    this.growthNeeded = 1;
    if (thrashed) {
      this.quietPasses = 0;
      if (growth <= this.growth || growth > MAX_GROWTH) return;
      if (growth <= this.halvedFrom) this.floor = Math.max(this.floor, growth);
      this.growth = growth;
      return;
    }
    if (++this.quietPasses < QUIET_PASSES || this.growth <= this.floor) return;
    this.quietPasses = 0;
    this.halvedFrom = this.growth;
    this.growth /= 2;
  }
}
