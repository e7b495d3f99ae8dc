import type { Allocator } from './allocator.js';
import { Headroom } from './headroom.js';

/** A persistent region's owner that can move its bytes out of the shared memory on request. */
export interface Evictable {
  readonly byteLength: number;
  /** The `useClock` value of its last access. */
  lastUse: number;
  /** Which enqueueing of it is current: stale queue entries (evicted, disposed) are skipped. */
  ticket: number;
  /** Copies its bytes into a plain JS buffer and gives its region back (it comes back on use). */
  evict(): void;
}

/**
 * Advances once per eviction pass; every storage access stamps it. A pass keeps what was used
 * since the previous pass began, so a typed array that an op fetched a moment ago (and the
 * arrays of any op in flight) still point at the tensor's bytes when the kernel runs.
 */
export const useClock = { now: 2 };

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/**
 * Keeps persistent tensor memory bounded without knowing which tensors are still referenced.
 *
 * JavaScript tells nobody when an object dies inside one synchronous job (FinalizationRegistry
 * callbacks wait for the event loop, and a WeakRef keeps its target alive until the job ends), so
 * a plain training loop would never get its dead activations' regions back. Instead, once the
 * persistent regions grow `headroom` past what the last pass kept, a pass moves every region not
 * used since the previous pass into a plain JS ArrayBuffer held by its storage and reuses the
 * region. A storage that is still referenced comes back into the shared memory on its next
 * access; a dead one is freed by the JS garbage collector with its copy. Regions in use every
 * step (parameters, gradients, optimizer state) are never moved.
 */
export class Residency {
  private queue: Evictable[] = [];
  private tickets: number[] = [];
  private nextTicket = 1;
  private residentBytes = 0;
  /** Persistent bytes allowed to pile up past what the last pass kept before the next pass. */
  readonly headroom = new Headroom();
  /** Resident bytes the last pass kept. */
  private keptBytes = 0;
  /** Bytes moved out of the shared memory so far (for benchmarks and tests). */
  evictedBytes = 0;
  /** Bytes moved out and then brought back on use so far: a pass moved out a region still in use. */
  returnedBytes = 0;
  /** Eviction passes run so far. */
  passes = 0;

  /**
   * @param allocator - the thread's persistent allocator, from which tensor regions and arena
   *   blocks are taken.
   * @param arenaBytes - bytes held outside tensors (the arena's blocks), for the out-of-memory message.
   */
  constructor(
    readonly allocator: Allocator,
    private readonly arenaBytes: () => number,
  ) {}

  /** Bytes of persistent tensor regions in the shared memory now. */
  get bytesResident(): number {
    return this.residentBytes;
  }

  /** Persistent bytes that may pile up past what the last pass kept before the next pass. */
  get headroomBytes(): number {
    return this.headroom.bytes(this.keptBytes);
  }

  /** The least headroom (see Headroom): smaller makes passes more frequent. */
  get minHeadroomBytes(): number {
    return this.headroom.minBytes;
  }

  set minHeadroomBytes(bytes: number) {
    this.headroom.minBytes = bytes;
  }

  /**
   * A region for `owner`, which joins the candidates for eviction; may first run an eviction pass.
   * @param owner - the storage that will live in the region: `byteLength` bytes, stamped as used now.
   */
  allocate(owner: Evictable): number {
    const bytes = owner.byteLength;
    const passed = this.residentBytes + bytes > this.keptBytes + this.headroomBytes;
    if (passed) this.pass(false);
    const offset = this.take(bytes, passed);
    owner.lastUse = useClock.now;
    owner.ticket = this.nextTicket++;
    this.queue.push(owner);
    this.tickets.push(owner.ticket);
    this.residentBytes += bytes;
    return offset;
  }

  /**
   * Notes a region moved out by a pass being brought back (the headroom learns from it).
   * @param owner - the storage coming back.
   * @param movedAt - the `useClock` value of the pass that moved it out.
   */
  returned(owner: Evictable, movedAt: number): void {
    this.returnedBytes += owner.byteLength;
    this.headroom.returned(owner.byteLength, useClock.now - movedAt);
  }

  /**
   * Gives `owner`'s region at `offset` back (it was moved out or disposed): no longer a candidate.
   * @param owner - the storage `allocate` gave the region to.
   * @param offset - the byte offset `allocate` returned for it.
   */
  release(owner: Evictable, offset: number): void {
    owner.ticket = 0;
    this.residentBytes -= owner.byteLength;
    this.allocator.release(offset);
  }

  /**
   * A region that is not a tensor's (an arena block); when nothing fits, what can be moved out is
   * moved out first, and the error says what holds the memory.
   * @param bytes - the size needed, in bytes (rounded up to 64 by the allocator).
   */
  raw(bytes: number): number {
    return this.take(bytes, false);
  }

  /**
   * A region of `bytes`, after an emergency pass if nothing fits — unless a pass ran just before
   * (`passed`): then everything not used since it began is already out, and an emergency pass
   * would move out the regions of the op in flight, whose typed arrays it still holds.
   */
  private take(bytes: number, passed: boolean): number {
    let offset = this.allocator.tryAlloc(bytes);
    if (offset >= 0) return offset;
    if (!passed) {
      this.pass(true);
      offset = this.allocator.tryAlloc(bytes);
      if (offset >= 0) return offset;
    }
    throw this.outOfMemory(bytes);
  }

  /**
   * Moves out every candidate not used since the previous pass began (since this one began, in
   * an emergency), then lets `headroom` more bytes pile up before the next pass.
   */
  private pass(emergency: boolean): void {
    const keepFrom = emergency ? useClock.now : useClock.now - 1;
    useClock.now++;
    this.passes++;
    if (!emergency) this.headroom.pass();
    const queue = this.queue;
    const tickets = this.tickets;
    this.queue = [];
    this.tickets = [];
    for (let i = 0; i < queue.length; i++) {
      const owner = queue[i]!;
      if (owner.ticket !== tickets[i]) continue;
      if (owner.lastUse >= keepFrom) {
        this.queue.push(owner);
        this.tickets.push(tickets[i]!);
        continue;
      }
      this.evictedBytes += owner.byteLength;
      owner.evict();
    }
    this.keptBytes = this.residentBytes;
  }

  private outOfMemory(bytes: number): RangeError {
    const a = this.allocator;
    const arena = this.arenaBytes();
    const other = Math.max(0, a.bytesInUse - this.residentBytes - arena);
    return new RangeError(
      `Loom memory: out of memory allocating ${bytes} bytes (${mib(bytes)}): ${mib(a.bytesInUse)} of this ` +
        `thread's ${mib(a.limit - a.base)} is in use — ${mib(this.residentBytes)} by ${this.queue.length} tensors used ` +
        `just now, ${mib(arena)} by withArena scopes, ${mib(other)} by other regions (shared parameters, ` +
        'datasets, kernel scratch). Tensors not used lately were already moved out. Free tensors you ' +
        'no longer need with tensor.dispose() (or `using`), run each step inside withArena(() => …) so ' +
        'that its temporaries are freed together, or use a smaller batch or model.',
    );
  }
}
