import type { Allocator } from './allocator.js';
import { Headroom } from './headroom.js';

/** A persistent region's owner that can move its bytes out of the shared memory on request. */
export interface Evictable {
  readonly byteLength: number;
  /** The `useClock.accesses` count at its last access (or its allocation). */
  lastUse: number;
  /** Which enqueueing of it is current: stale queue entries (evicted, disposed) are skipped. */
  ticket: number;
  /** Copies its bytes into a plain JS buffer and gives its region back (it comes back on use). */
  evict(): void;
}

/**
 * `passes` advances once per eviction pass; `accesses` once per storage access or allocation,
 * which stamps the storage with it. A pass keeps what was used since the previous pass began,
 * and whatever was among the last IN_FLIGHT_ACCESSES accesses.
 */
export const useClock = { passes: 2, accesses: 0 };

/**
 * Accesses a pass never moves out, however many passes ran meanwhile. An op fetches its operands'
 * typed arrays and then runs its kernel over them; fetching one that had been moved out brings it
 * back, which may run a pass — and with big tensors or a small headroom every such fetch does. An
 * optimizer's kernel takes five arrays: without this, the third pass of one call moved out the
 * first array while the kernel still held it (AMSGrad wrote into a region given to another
 * buffer; at a 1 MiB headroom PyTorch's MNIST example trained to NaN). Ops hold a few arrays at a
 * time; the few that hold one across a loop over other tensors (cat, stack) fetch it again each
 * turn. The cost is nothing: a pass that keeps the last 256 accesses' regions still moves out
 * everything else.
 */
const IN_FLIGHT_ACCESSES = 256;

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
  /** Storages in the queue whose entry is current (allocated, not yet moved out or released). */
  private candidates = 0;
  /** `useClock.accesses` when the last pass began, and when the one before it began. */
  private lastPassAt = 0;
  private passBeforeLastAt = 0;
  /** Regions set aside by `releaseForReuse`, by size in bytes. */
  private readonly spares = new Map<number, number[]>();
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

  /** Entries the next pass will go through: storages that may be moved out, and stale entries not yet dropped. */
  get queuedEntries(): number {
    return this.queue.length;
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
    owner.lastUse = ++useClock.accesses;
    owner.ticket = this.nextTicket++;
    this.queue.push(owner);
    this.tickets.push(owner.ticket);
    this.residentBytes += bytes;
    // Disposed storages leave stale entries behind; without passes (a loop that disposes what it
    // makes) nothing else would drop them, and the queue would hold every storage ever made.
    if (++this.candidates * 2 + 1024 < this.queue.length) this.dropStale();
    return offset;
  }

  /**
   * Notes a region moved out by a pass being brought back (the headroom learns from it).
   * @param owner - the storage coming back.
   * @param movedAt - the `useClock.passes` value of the pass that moved it out.
   */
  returned(owner: Evictable, movedAt: number): void {
    this.returnedBytes += owner.byteLength;
    this.headroom.returned(owner.byteLength, useClock.passes - movedAt);
  }

  /**
   * Gives `owner`'s region at `offset` back (it was moved out or disposed): no longer a candidate.
   * @param owner - the storage `allocate` gave the region to.
   * @param offset - the byte offset `allocate` returned for it.
   */
  release(owner: Evictable, offset: number): void {
    this.forget(owner);
    this.allocator.release(offset);
  }

  /**
   * Like `release`, but keeps the region aside for the next allocation of exactly its size (until
   * the next pass). zeroGrad's gradients come back at the same sizes in the next backward: their
   * regions, which the optimizer has just read, are still in the CPU's caches, where the first
   * free block would be whatever the step's other tensors left (cold, or split by them).
   * @param owner - the storage `allocate` gave the region to.
   * @param offset - the byte offset `allocate` returned for it.
   */
  releaseForReuse(owner: Evictable, offset: number): void {
    this.forget(owner);
    const list = this.spares.get(owner.byteLength);
    if (list === undefined) this.spares.set(owner.byteLength, [offset]);
    else list.push(offset);
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
    const spare = this.spares.get(bytes)?.pop();
    if (spare !== undefined) return spare;
    let offset = this.allocator.tryAlloc(bytes);
    if (offset >= 0) return offset;
    if (this.spares.size > 0) {
      this.releaseSpares();
      offset = this.allocator.tryAlloc(bytes);
      if (offset >= 0) return offset;
    }
    if (!passed) {
      this.pass(true);
      offset = this.allocator.tryAlloc(bytes);
      if (offset >= 0) return offset;
    }
    throw this.outOfMemory(bytes);
  }

  /**
   * Moves out every candidate not used since the previous pass began (since this one began, in
   * an emergency) nor among the last IN_FLIGHT_ACCESSES accesses, then lets `headroom` more bytes
   * pile up before the next pass.
   */
  private pass(emergency: boolean): void {
    this.releaseSpares();
    const since = emergency ? this.lastPassAt : this.passBeforeLastAt;
    const keepFrom = Math.min(since, useClock.accesses - IN_FLIGHT_ACCESSES);
    this.passBeforeLastAt = this.lastPassAt;
    this.lastPassAt = useClock.accesses;
    useClock.passes++;
    this.passes++;
    if (!emergency) this.headroom.pass();
    const queue = this.queue;
    const tickets = this.tickets;
    this.queue = [];
    this.tickets = [];
    for (let i = 0; i < queue.length; i++) {
      const owner = queue[i]!;
      if (owner.ticket !== tickets[i]) continue;
      if (owner.lastUse > keepFrom) {
        this.queue.push(owner);
        this.tickets.push(tickets[i]!);
        continue;
      }
      this.evictedBytes += owner.byteLength;
      owner.evict();
    }
    this.keptBytes = this.residentBytes;
  }

  /** Takes `owner`'s region off the candidates and the resident bytes. */
  private forget(owner: Evictable): void {
    owner.ticket = 0;
    this.candidates--;
    this.residentBytes -= owner.byteLength;
  }

  /** Keeps only the queue's current entries. */
  private dropStale(): void {
    let kept = 0;
    for (let i = 0; i < this.queue.length; i++) {
      const owner = this.queue[i]!;
      if (owner.ticket !== this.tickets[i]) continue;
      this.queue[kept] = owner;
      this.tickets[kept++] = this.tickets[i]!;
    }
    this.queue.length = kept;
    this.tickets.length = kept;
  }

  private releaseSpares(): void {
    for (const offsets of this.spares.values()) for (const offset of offsets) this.allocator.release(offset);
    this.spares.clear();
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
