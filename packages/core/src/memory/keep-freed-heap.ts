import { env } from '../env.js';
import { loadKoffi } from '../native/koffi.js';

/** What `keepFreedHeap` did, for tests and benchmarks. */
export type KeepFreedHeapOutcome = { readonly applied: true } | { readonly applied: false; readonly reason: string };

// glibc's mallopt parameters (malloc.h).
const M_TRIM_THRESHOLD = -1;
const M_TOP_PAD = -2;
const M_MMAP_THRESHOLD = -3;
/** Free bytes glibc keeps at the top of a heap before giving them back to the kernel. */
const KEPT_BYTES = 128 * 2 ** 20;
/** The largest block glibc may serve from its heap instead of a fresh mapping (its own ceiling). */
const HEAP_BLOCK_LIMIT = 32 * 2 ** 20;

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
    const settings: [number, number][] = [
      [M_MMAP_THRESHOLD, HEAP_BLOCK_LIMIT],
      [M_TRIM_THRESHOLD, KEPT_BYTES],
      [M_TOP_PAD, KEPT_BYTES],
    ];
    for (const [parameter, value] of settings) {
      if (mallopt(parameter, value) !== 1) return { applied: false, reason: `mallopt(${parameter}, ${value}) refused` };
    }
    return { applied: true };
  } catch (error) {
    return { applied: false, reason: (error as Error).message };
  }
}
