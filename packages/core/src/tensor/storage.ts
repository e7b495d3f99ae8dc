import { BYTES_PER_ELEMENT, type DType, type TypedArray } from '../dtype.js';
import { currentScope, memoryContext } from '../memory/context.js';
import { keepFreedHeap } from '../memory/keep-freed-heap.js';
import { type Evictable, type Residency, useClock } from '../memory/residency.js';
import type { ArenaScope } from '../memory/scope.js';
import type { SharedMemory } from '../memory/shared-memory.js';

/**
 * Why a storage's memory is gone for good: `dispose()`, `zeroGrad` on a gradient, or a built-in
 * module freeing an intermediate value nobody else could reach (see releaseIntermediates).
 */
export type Release = 'dispose' | 'zeroGrad' | 'intermediate';

function typedArray(dtype: DType, buffer: ArrayBufferLike, byteOffset: number, length: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer, byteOffset, length);
    case 'float64':
      return new Float64Array(buffer, byteOffset, length);
    case 'int32':
      return new Int32Array(buffer, byteOffset, length);
    case 'bool':
      return new Uint8Array(buffer, byteOffset, length);
  }
}

const nodeBuffer = (globalThis as { Buffer?: { allocUnsafeSlow(size: number): Uint8Array } }).Buffer;

/** Copies `bytes` bytes as bytes: a Float32Array's `set` from a SharedArrayBuffer is about twice as slow. */
function copyBytes(from: ArrayBufferLike, fromOffset: number, to: ArrayBufferLike, toOffset: number, bytes: number): void {
  new Uint8Array(to, toOffset, bytes).set(new Uint8Array(from, fromOffset, bytes));
}

/**
 * A copy of `bytes` bytes at `byteOffset` of the shared memory in a new plain buffer: the moving
 * out that is the plain loop's main cost (packages/core/bench/plain-loop.mjs). Where Node's
 * `Buffer` exists the new buffer is left uninitialised, since a zero-filled one costs more than
 * the copy (fresh pages, zeroed). Copied as bytes: moving out a 256×256 float32 matmul result
 * took 400–510 µs through a Float32Array's `set`, 160–310 µs as bytes, and 16 µs once malloc
 * keeps the pages that the collected copies give back (keepFreedHeap).
 */
function copyOutOf(buffer: ArrayBufferLike, byteOffset: number, bytes: number): ArrayBufferLike {
  keepFreedHeap();
  const copy = nodeBuffer === undefined ? new ArrayBuffer(bytes) : nodeBuffer.allocUnsafeSlow(bytes).buffer;
  copyBytes(buffer, byteOffset, copy, 0, bytes);
  return copy;
}

/**
 * `length` elements of one dtype, in a region of the shared memory. Tensors are views of a
 * storage; several tensors may share one.
 *
 * Every read or write of tensor data goes through `array()`, which is where memory safety is
 * enforced: a storage of an ended withArena scope throws (or, if the scope kept a copy for a
 * returned graph, comes back from it); a disposed one throws; a persistent one that was moved out
 * of the shared memory under pressure (see Residency) is brought back into a new region. Never
 * keep the typed array across other tensor operations: call `array()` (or `data()`) again.
 */
export class Storage implements Evictable {
  /** Bumped by every in-place write; autograd compares it with the value an op saw. */
  version = 0;
  /** The in-place op behind the last `version` bump, for error messages. */
  lastWrite = '';
  lastUse = 0;
  ticket = 0;
  readonly byteLength: number;
  private address: number;
  private cached: TypedArray | null = null;
  /** The bytes while they are out of the shared memory (moved out under pressure, or kept from a scope). */
  private moved: TypedArray | null = null;
  /** Set for persistent regions: this thread's residency, which may move them out. */
  private residency: Residency | null = null;
  private scope: ArenaScope | null;
  private released: Release | null = null;
  /** The `useClock.passes` of the Residency pass that moved `moved` out; 0 when not moved out by one. */
  private evictedAt = 0;

  private constructor(
    readonly memory: SharedMemory,
    address: number,
    readonly length: number,
    readonly dtype: DType,
    scope: ArenaScope | null,
  ) {
    this.address = address;
    this.byteLength = length * BYTES_PER_ELEMENT[dtype];
    this.scope = scope;
  }

  /**
   * A new uninitialised region: from this thread's arena inside `withArena`, otherwise a
   * persistent region (which its Residency may move out when unused, and brings back on use).
   * @param dtype - the element type; fixes the bytes per element (float64 8, float32 and int32 4, bool 1).
   * @param length - the number of elements (not bytes).
   */
  static allocate(dtype: DType, length: number): Storage {
    const ctx = memoryContext();
    const scope = currentScope();
    const storage = new Storage(ctx.memory, -1, length, dtype, scope);
    if (scope !== null) storage.address = ctx.arena.alloc(storage.byteLength);
    else {
      storage.residency = ctx.residency;
      storage.address = ctx.residency.allocate(storage);
    }
    return storage;
  }

  /**
   * A storage over a region someone else owns (a worker's view of shared parameters): never moved or freed.
   * @param memory - the shared memory holding the region.
   * @param byteOffset - where the region starts, in bytes; a multiple of the dtype's element size.
   * @param length - the number of elements (not bytes) in the region.
   * @param dtype - the element type the bytes are read as.
   */
  static view(memory: SharedMemory, byteOffset: number, length: number, dtype: DType): Storage {
    return new Storage(memory, byteOffset, length, dtype, null);
  }

  /** The region's byte offset in the shared memory now (it may change when the region is moved out and back). */
  get byteOffset(): number {
    this.array();
    return this.address;
  }

  /** Whether `dispose()` (or `zeroGrad` on a gradient, or a module freeing an intermediate) has freed this storage. */
  get isDisposed(): boolean {
    return this.released !== null;
  }

  /** The region as a typed array of exactly `length` elements. */
  array(): TypedArray {
    if (this.scope !== null && this.scope.ended) this.leaveEndedScope();
    this.lastUse = ++useClock.accesses;
    return this.cached ?? this.materialise();
  }

  /**
   * Records an in-place write by `op`, so that autograd can tell its saved values changed.
   * @param op - the in-place op's name ('add_', 'copy_', …), named in the error of a backward that
   *   needed the old values.
   */
  bumpVersion(op: string): void {
    this.version++;
    this.lastWrite = op;
  }

  /**
   * Frees the memory now (a persistent region goes back to the allocator; an arena region is
   * reclaimed when its scope ends). Any later access throws. Idempotent.
   * @param reason - what freed it, for the error a later access throws: 'dispose' (the default,
   *   tensor.dispose() or `using`) or 'zeroGrad' (a gradient cleared by zeroGrad).
   */
  dispose(reason: Release = 'dispose'): void {
    if (this.released !== null) return;
    this.released = reason;
    if (this.residency !== null && this.ticket !== 0) {
      if (reason === 'zeroGrad') this.residency.releaseForReuse(this, this.address);
      else this.residency.release(this, this.address);
    }
    this.cached = null;
    this.moved = null;
  }

  /** The old name of `dispose('zeroGrad')`: a gradient cleared by zeroGrad gives its memory back. */
  release(): void {
    this.dispose('zeroGrad');
  }

  /** Moves the bytes into a plain JS buffer and gives the persistent region back (Residency's pass). */
  evict(): void {
    this.moved = this.copyOut();
    this.evictedAt = useClock.passes;
    this.residency!.release(this, this.address);
    this.address = -1;
    this.cached = null;
  }

  /**
   * Takes this storage out of `scope` before it ends, with a copy of its bytes, so that a tensor
   * returned from withArena stays valid (its bytes go back into persistent memory on next use).
   * @param scope - the withArena scope about to end; nothing happens for a storage of another scope,
   *   a persistent one or a disposed one.
   */
  keepFrom(scope: ArenaScope): void {
    if (this.scope !== scope || this.released !== null) return;
    this.moved = this.copyOut();
    this.scope = null;
    this.address = -1;
    this.cached = null;
  }

  private copyOut(): TypedArray {
    return typedArray(this.dtype, copyOutOf(this.memory.buffer, this.address, this.byteLength), 0, this.length);
  }

  private leaveEndedScope(): void {
    const scope = this.scope!;
    if (this.released !== null) throw this.releasedError();
    if (scope.kept === null) throw scope.endedError();
    this.moved = typedArray(this.dtype, scope.keptBytes(this.address, this.byteLength), 0, this.length);
    this.scope = null;
    this.address = -1;
    this.cached = null;
  }

  private materialise(): TypedArray {
    if (this.released !== null) throw this.releasedError();
    const moved = this.moved;
    if (moved !== null) {
      this.residency = memoryContext().residency;
      if (this.evictedAt !== 0) this.residency.returned(this, this.evictedAt);
      this.evictedAt = 0;
      this.address = this.residency.allocate(this);
    }
    if (moved !== null) {
      copyBytes(moved.buffer, moved.byteOffset, this.memory.buffer, this.address, moved.byteLength);
      this.moved = null;
    }
    const view = typedArray(this.dtype, this.memory.buffer, this.address, this.length);
    this.cached = view;
    return view;
  }

  private releasedError(): Error {
    const reason = this.released!;
    switch (reason) {
      case 'zeroGrad':
        return new Error(
          "this tensor's memory was released (a gradient cleared by zeroGrad): copy a gradient before clearing it to keep it",
        );
      case 'dispose':
        return new Error(
          'this tensor was disposed (tensor.dispose() or a `using` declaration) and its memory freed: clone() it first to keep its values',
        );
      case 'intermediate':
        return new Error(
          "this tensor was an intermediate value inside a built-in module (the output of one of Sequential's layers), freed " +
            'once nothing could need it (when backward() went through the graph, or at once without autograd), as PyTorch ' +
            'frees saved tensors: pass backward({ retainGraph: true }) to keep the graph, or call the layers one by one to keep their outputs',
        );
    }
  }
}
