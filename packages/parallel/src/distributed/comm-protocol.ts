/**
 * The mailbox between the threads of a process and its MPI thread: one request at a time, in a
 * small SharedArrayBuffer. A caller writes the operation and its arguments, bumps REQUEST and
 * notifies; the MPI thread runs the call, writes STATUS, bumps DONE and notifies. Any thread may
 * call (the trainer's workers block in Atomics.wait; the main thread awaits Atomics.waitAsync).
 * Every waiter waits until its word really moved (protocol/barrier.ts's waitWhileEqual says why).
 */
import type { MpiElement } from './mpich-abi.js';

/** Int32 word indices of the control block. */
export const WORD = { REQUEST: 0, DONE: 1, OP: 2, STATUS: 3, RANK: 4, SIZE: 5, READY: 6, ELEMENT: 7, TEXT_LENGTH: 8 } as const;
/** An even count, so that the Float64 arguments after the words are 8-byte aligned. */
const WORDS = 10;
/** Float64 arguments after the words: byte offsets may pass 2^31. */
const ARGS = 4;
/**
 * Per-rank counts and displacements, after the arguments (at most this many ranks): Allgatherv's,
 * or Alltoallv's send side and then its receive side.
 */
export const MAX_RANKS = 4096;
/** Bytes of UTF-8 text: the library's description once ready, then the last failure's message. */
const TEXT_BYTES = 1024;

/** Operation codes (OP word). */
export const OP = { ALLGATHER: 1, ALLGATHERV: 2, ALLREDUCE_SUM: 3, BARRIER: 4, FINALIZE: 5, ALLTOALLV: 6 } as const;
export type OpCode = (typeof OP)[keyof typeof OP];

/** STATUS values. */
export const STATUS = { OK: 0, FAILED: 1 } as const;

export const ELEMENTS: readonly MpiElement[] = ['float32', 'float64', 'int32', 'bytes'];

const wordsBytes = WORDS * 4;
const argsBytes = ARGS * 8;

/** The views of one control block. */
export interface ControlBlock {
  readonly buffer: SharedArrayBuffer;
  readonly words: Int32Array;
  readonly args: Float64Array;
  readonly counts: Int32Array;
  readonly displs: Int32Array;
  /** Alltoallv's receive counts and displacements (`counts`/`displs` are then its send side). */
  readonly recvCounts: Int32Array;
  readonly recvDispls: Int32Array;
  readonly text: Uint8Array;
}

export function createControlBlock(): SharedArrayBuffer {
  return new SharedArrayBuffer(wordsBytes + argsBytes + 4 * MAX_RANKS * 4 + TEXT_BYTES);
}

export function controlViews(buffer: SharedArrayBuffer): ControlBlock {
  return {
    buffer,
    words: new Int32Array(buffer, 0, WORDS),
    args: new Float64Array(buffer, wordsBytes, ARGS),
    counts: new Int32Array(buffer, wordsBytes + argsBytes, MAX_RANKS),
    displs: new Int32Array(buffer, wordsBytes + argsBytes + MAX_RANKS * 4, MAX_RANKS),
    recvCounts: new Int32Array(buffer, wordsBytes + argsBytes + 2 * MAX_RANKS * 4, MAX_RANKS),
    recvDispls: new Int32Array(buffer, wordsBytes + argsBytes + 3 * MAX_RANKS * 4, MAX_RANKS),
    text: new Uint8Array(buffer, wordsBytes + argsBytes + 4 * MAX_RANKS * 4, TEXT_BYTES),
  };
}

/** Stores a text (cut to fit) for whichever thread reads it next. */
export function writeText(control: ControlBlock, message: string): void {
  const bytes = new TextEncoder().encode(message).subarray(0, control.text.length);
  control.text.set(bytes);
  Atomics.store(control.words, WORD.TEXT_LENGTH, bytes.length);
}

/** The text last stored. */
export function readText(control: ControlBlock): string {
  const length = Atomics.load(control.words, WORD.TEXT_LENGTH);
  return new TextDecoder().decode(control.text.slice(0, length));
}
