/**
 * The worker threads' side of MPI: a request written into the control block shared with the
 * process's MPI thread, and a blocking wait for it. No Node import, so a worker bundle that
 * imports the step loop (which calls this under MPI only) stays browser-safe.
 */
import { controlViews, ELEMENTS, MAX_RANKS, type OpCode, readText, STATUS, WORD, type ControlBlock } from './comm-protocol.js';
import type { MpiElement } from './mpich-abi.js';
import { checkExchange } from './exchange-checks.js';
import { waitWhileEqual } from '../protocol/barrier.js';

/** What a collective needs: byte offsets into the memory the world was started over. */
export interface Exchange {
  readonly op: OpCode;
  readonly element?: MpiElement;
  readonly args?: readonly number[];
  /** Allgatherv's per-rank counts and displacements (elements), or Alltoallv's send side. */
  readonly counts?: readonly number[];
  readonly displs?: readonly number[];
  /** Alltoallv's receive side. */
  readonly recvCounts?: readonly number[];
  readonly recvDispls?: readonly number[];
}

/** Checks the request (see `checkExchange`), writes it into the control block and wakes the MPI thread; returns the DONE count to wait past. */
export function post(control: ControlBlock, request: Exchange): number {
  const { words } = control;
  checkExchange(request, Atomics.load(words, WORD.SIZE));
  Atomics.store(words, WORD.OP, request.op);
  Atomics.store(words, WORD.ELEMENT, ELEMENTS.indexOf(request.element ?? 'bytes'));
  (request.args ?? []).forEach((value, i) => (control.args[i] = value));
  if (request.counts) {
    if (request.counts.length > MAX_RANKS) throw new RangeError(`MPI: at most ${MAX_RANKS} ranks are supported`);
    control.counts.set(request.counts);
    control.displs.set(request.displs ?? []);
  }
  if (request.recvCounts) {
    control.recvCounts.set(request.recvCounts);
    control.recvDispls.set(request.recvDispls ?? []);
  }
  const done = Atomics.load(words, WORD.DONE);
  Atomics.add(words, WORD.REQUEST, 1);
  Atomics.notify(words, WORD.REQUEST);
  return done;
}

export function result(control: ControlBlock, name: string): void {
  if (Atomics.load(control.words, WORD.STATUS) !== STATUS.OK) throw new Error(readText(control) || `${name} failed`);
}

/** The blocking side, for worker threads: one call at a time on a control block shared with the MPI thread. */
export class MpiClient {
  private readonly control: ControlBlock;

  /**
   * @param control - the world's control block (`MpiWorld.controlBuffer`), posted to this worker thread
   */
  constructor(control: SharedArrayBuffer) {
    if (!(control instanceof SharedArrayBuffer))
      throw new TypeError("MpiClient: control must be the world's controlBuffer (a SharedArrayBuffer)");
    this.control = controlViews(control);
  }

  get rank(): number {
    return Atomics.load(this.control.words, WORD.RANK);
  }

  get size(): number {
    return Atomics.load(this.control.words, WORD.SIZE);
  }

  /**
   * Runs one collective on the MPI thread and blocks this thread until it is done; throws MPI's error.
   * @param request - the operation and its element type, byte offsets and counts
   */
  call(request: Exchange): void {
    const done = post(this.control, request);
    waitWhileEqual(this.control.words, WORD.DONE, done);
    result(this.control, 'MPI call');
  }
}
