/**
 * Kernel tapes: the kernel calls of a piece of work, in order, with their arguments. Replaying a
 * tape redoes the work's memory writes without the JS around them (shape checks, tensor objects,
 * the autograd graph), so it makes no garbage. A tape is only as good as the work is static: the
 * same kernels on the same addresses every time, every write through a kernel. Whoever replays
 * one checks that first (see @loom/parallel's worker/chunk-replay.ts); `Kernel.select` records
 * while `recordKernels` runs.
 */

type KernelFunction = (...args: never[]) => unknown;

/** The kernel calls of a piece of work, in order, with their arguments (see the file's comment). */
export class KernelTape {
  private readonly calls: KernelFunction[] = [];
  private readonly args: unknown[][] = [];

  /** The number of kernel calls recorded. */
  get length(): number {
    return this.calls.length;
  }

  /**
   * `fn` wrapped so that each call is logged on this tape, then run: what a recording `select` returns.
   * @param fn - a kernel implementation
   */
  wrap<F extends KernelFunction>(fn: F): F {
    const calls = this.calls;
    const recorded = this.args;
    return ((...args: never[]) => {
      calls.push(fn);
      recorded.push(args);
      return fn(...args);
    }) as F;
  }

  /** Runs every recorded kernel call again, in order, with the same arguments. */
  replay(): void {
    const calls = this.calls;
    const args = this.args;
    for (let i = 0; i < calls.length; i++) Reflect.apply(calls[i]!, undefined, args[i]!);
  }

  /**
   * Whether `other` made the same calls: the same kernels with equal arguments, where arrays on
   * a shared buffer are equal when they view the same bytes, and other arrays and plain objects
   * when their contents are equal.
   * @param other - another recording
   */
  sameAs(other: KernelTape): boolean {
    if (other.calls.length !== this.calls.length) return false;
    for (let i = 0; i < this.calls.length; i++) {
      if (other.calls[i] !== this.calls[i] || !sameValue(this.args[i], other.args[i])) return false;
    }
    return true;
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor) return false;
    if (a.buffer instanceof SharedArrayBuffer || b.buffer instanceof SharedArrayBuffer) {
      return a.buffer === b.buffer && a.byteOffset === b.byteOffset && a.byteLength === b.byteLength;
    }
    return sameValue(Array.from(a as unknown as ArrayLike<number>), Array.from(b as unknown as ArrayLike<number>));
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameValue(x, b[i]));
  }
  const protoA = Object.getPrototypeOf(a) as unknown;
  if (protoA !== Object.getPrototypeOf(b) || (protoA !== Object.prototype && protoA !== null)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

let recording: KernelTape | null = null;

/** The tape `Kernel.select` records onto, or null. */
export function recordingTape(): KernelTape | null {
  return recording;
}

/**
 * Runs `fn`, recording every kernel it selects and calls onto `tape` (which then holds them in
 * order), and returns what `fn` returns. Recordings do not nest.
 * @param tape - the tape to append to, usually a new one
 * @param fn - the work to run and record; it runs normally
 */
export function recordKernels<T>(tape: KernelTape, fn: () => T): T {
  if (recording !== null) throw new Error('recordKernels: a recording is already running on this thread (recordings do not nest)');
  recording = tape;
  try {
    return fn();
  } finally {
    recording = null;
  }
}
