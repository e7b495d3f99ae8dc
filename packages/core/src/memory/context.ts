import { Allocator } from './allocator.js';
import { Arena, type ArenaMark } from './arena.js';
import { Residency } from './residency.js';
import { ArenaScope } from './scope.js';
import { SharedMemory } from './shared-memory.js';
import type { WasmMemory } from './wasm-api.js';

/**
 * The first MiB of the memory is left to the WebAssembly kernel module (its static data and
 * stack); tensors start above it.
 */
export const RESERVED_BYTES = 1 << 20;

/** Where a thread's tensors live: the shared memory, this thread's allocator and arena. */
export interface MemoryContext {
  readonly memory: SharedMemory;
  readonly allocator: Allocator;
  readonly arena: Arena;
  /** Bounds this thread's persistent tensor memory (see Residency). */
  readonly residency: Residency;
}

let context: MemoryContext | null = null;
/** The withArena scope new tensors go to; null: persistent memory. */
let allocationScope: ArenaScope | null = null;
let scopesOpened = 0;

function createContext(memory: SharedMemory, base: number, limit: number): MemoryContext {
  const allocator = new Allocator(memory, base, limit);
  let arena: Arena | null = null;
  const residency = new Residency(allocator, () => arena?.capacity ?? 0);
  arena = new Arena(
    (bytes) => residency.raw(bytes),
    () => memory.u8,
  );
  return { memory, allocator, arena, residency };
}

/** This thread's memory context, created on first use over a new shared memory. */
export function memoryContext(): MemoryContext {
  context ??= createContext(new SharedMemory(), RESERVED_BYTES, 2 ** 32);
  return context;
}

/**
 * Makes this thread allocate inside `[byteOffset, byteOffset + bytes)` of a memory created in
 * another thread (a worker's share of the main thread's memory). Must run before the thread
 * creates any tensor.
 * @param memory - the shared `WebAssembly.Memory` created in the other thread.
 * @param byteOffset - where this thread's range starts, in bytes from the memory's start.
 * @param bytes - the length of this thread's range; its allocations fail beyond it.
 */
export function attachMemory(memory: WasmMemory, byteOffset: number, bytes: number): MemoryContext {
  if (context) throw new Error('attachMemory: this thread already has a memory (call it before creating tensors)');
  context = createContext(new SharedMemory(memory), byteOffset, byteOffset + bytes);
  return context;
}

/** The shared memory of this thread's context. */
export function sharedMemory(): SharedMemory {
  return memoryContext().memory;
}

/** Whether allocations currently come from the arena. */
export function inArena(): boolean {
  return allocationScope !== null;
}

/** The withArena scope new tensors belong to, or null when they are persistent. */
export function currentScope(): ArenaScope | null {
  return allocationScope;
}

/** A withArena scope in progress, and what closing it restores. */
export interface OpenScope {
  readonly scope: ArenaScope;
  readonly arena: Arena;
  readonly mark: ArenaMark;
  readonly outer: ArenaScope | null;
}

/**
 * Opens a withArena scope: new tensors come from the arena until `closeScope`. Returns what
 * `closeScope` needs to restore.
 */
export function openScope(): OpenScope {
  const arena = memoryContext().arena;
  const outer = allocationScope;
  allocationScope = new ArenaScope(++scopesOpened);
  return { scope: allocationScope, arena, mark: arena.mark(), outer };
}

/** Ends a scope: its tensors become unreadable (unless it kept a copy) and its arena bytes free. */
export function closeScope({ scope, arena, mark, outer }: OpenScope): void {
  scope.ended = true;
  allocationScope = outer;
  arena.reset(mark);
}

/**
 * Runs `fn` with new tensors allocated persistently, even inside `withArena`; returns what `fn` returns.
 * @param fn - called once, synchronously; the tensors it creates outlive any enclosing arena scope
 */
export function persistent<T>(fn: () => T): T {
  const saved = allocationScope;
  allocationScope = null;
  try {
    return fn();
  } finally {
    allocationScope = saved;
  }
}
