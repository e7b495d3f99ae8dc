import { Allocator } from './allocator.js';
import { Arena } from './arena.js';
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
}

let context: MemoryContext | null = null;
/** > 0 while inside withArena: new tensors come from the arena. */
let arenaDepth = 0;

function createContext(memory: SharedMemory, base: number, limit: number): MemoryContext {
  const allocator = new Allocator(memory, base, limit);
  return { memory, allocator, arena: new Arena(allocator) };
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
  return arenaDepth > 0;
}

/**
 * Runs `fn` with every new tensor allocated from this thread's arena, then frees them all at
 * once. Tensors created inside must not be used after it returns: return plain values (a loss as
 * a number), not tensors. Gradients of leaf tensors and optimizer state are always persistent.
 */
export function withArena<T>(fn: () => T): T {
  const arena = memoryContext().arena;
  const mark = arena.mark();
  arenaDepth++;
  try {
    return fn();
  } finally {
    arenaDepth--;
    arena.reset(mark);
  }
}

/** Runs `fn` with new tensors allocated persistently, even inside `withArena`. */
export function persistent<T>(fn: () => T): T {
  const saved = arenaDepth;
  arenaDepth = 0;
  try {
    return fn();
  } finally {
    arenaDepth = saved;
  }
}
