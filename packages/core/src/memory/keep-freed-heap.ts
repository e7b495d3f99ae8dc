import { env } from '../env.js';
import { loadKoffi } from '../native/koffi.js';

/** What `keepFreedHeap` did, for tests and benchmarks. */
export type KeepFreedHeapOutcome = { readonly applied: true } | { readonly applied: false; readonly reason: string };

/** Free bytes glibc keeps at the top of a heap before giving them back to the kernel. */
const KEPT_BYTES = 128 * 2 ** 20;
/** The largest block glibc may serve from its heap instead of a fresh mapping (its own ceiling). */
const HEAP_BLOCK_LIMIT = 32 * 2 ** 20;

/** One glibc malloc parameter `keepFreedHeap` sets (malloc.h, mallopt(3)). */
export interface MallocSetting {
  /** mallopt's parameter number. */
  readonly parameter: number;
  /** The variable glibc reads for it when a process starts (mallopt(3), "Environment variables"). */
  readonly environmentVariable: string;
  readonly value: number;
}

/** What `keepFreedHeap` asks of glibc: the mapping threshold first (see below why it is set). */
export const KEPT_HEAP_SETTINGS: readonly MallocSetting[] = [
  { parameter: -3, environmentVariable: 'MALLOC_MMAP_THRESHOLD_', value: HEAP_BLOCK_LIMIT },
  { parameter: -1, environmentVariable: 'MALLOC_TRIM_THRESHOLD_', value: KEPT_BYTES },
  { parameter: -2, environmentVariable: 'MALLOC_TOP_PAD_', value: KEPT_BYTES },
];

/**
 * `KEPT_HEAP_SETTINGS` as the environment of a process to start with the heap Loom keeps (a peer
 * measured beside Loom: apps/bench), or nothing under `LOOM_MALLOC=leave`, where Loom keeps none.
 * Without it a peer's speed depends on what it allocated earlier: glibc raises its mapping
 * threshold to the largest block freed so far, so PyTorch trained an MLP 1.3–4× faster right
 * after a large matmul than in a fresh process.
 */
export function keptHeapEnvironment(): Record<string, string> {
  if (env.malloc === 'leave') return {};
  return Object.fromEntries(KEPT_HEAP_SETTINGS.map((s) => [s.environmentVariable, String(s.value)]));
}

let outcome: KeepFreedHeapOutcome | null = null;

/**
 * Asks glibc's malloc, once per thread that copies tensors out, to keep freed heap memory for
 * reuse instead of handing it back to the kernel.
 *
 * A reclaiming pass (memory/residency.ts) copies each tensor it moves out into a new JS buffer,
 * which Node takes from malloc; the collector frees the copies of dead tensors a little later.
 * With glibc's defaults the heap shrinks as soon as 128 KiB lie free at its top, and blocks above
 * its mapping threshold each get a fresh mapping, so every copy lands in pages the kernel must
 * fault in and zero again: a 256 KiB copy took 80–200 µs on this project's VMs where the copy
 * itself takes 16 µs. Kept, the freed pages serve the next copies. The process's resident memory
 * may then stay up to KEPT_BYTES above its live data. Setting M_TRIM_THRESHOLD or M_TOP_PAD turns
 * off glibc's sliding mapping threshold, so the threshold is set too, at glibc's own ceiling.
 * `LOOM_MALLOC=leave` leaves malloc as the process set it; on other C libraries and platforms
 * (no `libc.so.6`, no koffi) this does nothing.
 */
export function keepFreedHeap(): KeepFreedHeapOutcome {
  if (outcome !== null) return outcome;
  outcome = askMalloc();
  return outcome;
}

function askMalloc(): KeepFreedHeapOutcome {
  if (env.malloc === 'leave') return { applied: false, reason: 'LOOM_MALLOC=leave' };
  if (typeof process === 'undefined' || process.platform !== 'linux') return { applied: false, reason: 'not Node.js on Linux' };
  try {
    const mallopt = loadKoffi().load('libc.so.6').func('mallopt', 'int', ['int', 'int']);
    for (const { parameter, value } of KEPT_HEAP_SETTINGS) {
      if (mallopt(parameter, value) !== 1) return { applied: false, reason: `mallopt(${parameter}, ${value}) refused` };
    }
    return { applied: true };
  } catch (error) {
    return { applied: false, reason: (error as Error).message };
  }
}
