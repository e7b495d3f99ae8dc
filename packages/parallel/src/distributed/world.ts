/**
 * A process's place among MPI ranks, as the rest of Loom sees it: its rank, the world size, and
 * the byte-moving collectives, each run on the process's MPI thread. `MpiWorld.start` is async
 * and the main thread awaits every call without blocking; worker threads use `MpiClient` on the
 * same control block and block until the call is done.
 */
import { Worker } from 'node:worker_threads';
import { controlViews, createControlBlock, OP, readText, WORD, type ControlBlock } from './comm-protocol.js';
import type { MpiElement } from './mpich-abi.js';
import { type Exchange, post, result } from './client.js';
import { checkExchange } from './exchange-checks.js';

export { MpiClient, type Exchange } from './client.js';

/** Atomics.waitAsync (Node 16+), which TypeScript's ES2022 lib does not declare. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(array: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

/** The main thread's handle on MPI: started once per process, closed once. */
export class MpiWorld {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly thread: Worker,
    private readonly control: ControlBlock,
    /** Which library and version run MPI. */
    readonly description: string,
  ) {}

  /** The control block, to hand to worker threads (`new MpiClient(world.controlBuffer)`). */
  get controlBuffer(): SharedArrayBuffer {
    return this.control.buffer;
  }

  get rank(): number {
    return Atomics.load(this.control.words, WORD.RANK);
  }

  get size(): number {
    return Atomics.load(this.control.words, WORD.SIZE);
  }

  /**
   * Starts the MPI thread over `memory` (a shared WebAssembly memory's buffer): it loads the MPI
   * library (`library`, else the usual MPICH-ABI names) and initialises MPI. Rejects with the
   * reason when it cannot.
   * @param memory - the buffer of the shared WebAssembly memory that every offset of the collectives points into
   * @param library - the MPI shared library to load (a path, or a name the dynamic loader finds); default: the usual
   *   MPICH-ABI names
   */
  static async start(memory: SharedArrayBuffer, library?: string): Promise<MpiWorld> {
    if (!(memory instanceof SharedArrayBuffer)) {
      throw new TypeError('MpiWorld.start: memory must be the SharedArrayBuffer of a shared WebAssembly memory (sharedMemory().buffer)');
    }
    if (library !== undefined && (typeof library !== 'string' || library === '')) {
      throw new TypeError(`MpiWorld.start: library must be a path or a library name, got ${JSON.stringify(library)}`);
    }
    // UCX (MPICH's ch4:ucx, Intel MPI, MVAPICH) patches mmap/munmap in the running process to
    // watch memory for its registration cache; in a process whose other threads (V8's compiler
    // and GC, the trainer's workers) call them meanwhile, that crashed Node now and then here
    // (segfaults in V8 code, UCX's handler printing them). Without those events UCX keeps working,
    // only without its registration cache. Set on this (main) thread, so that the C environment
    // MPI_Init reads has it; a value the user set wins.
    process.env['UCX_MEM_EVENTS'] ??= 'no';
    const control = controlViews(createControlBlock());
    const thread = new Worker(new URL('./comm-thread.js', import.meta.url), { workerData: { memory, control: control.buffer, library } });
    const exited = new Promise<never>((_, reject) => {
      thread.once('error', reject);
      thread.once('exit', (code) => reject(new Error(`the MPI thread exited (code ${code}) before MPI was initialised`)));
    });
    const ready = waitAsync(control.words, WORD.READY, 0);
    if (ready.async) await Promise.race([ready.value, exited]);
    if (Atomics.load(control.words, WORD.READY) !== 1) {
      await thread.terminate();
      throw new Error(readText(control));
    }
    thread.removeAllListeners('exit');
    thread.unref();
    return new MpiWorld(thread, control, readText(control));
  }

  /**
   * Runs one collective on the MPI thread; calls are queued in the order they are made.
   * @param request - the operation and its element type, byte offsets and counts
   */
  call(request: Exchange): Promise<void> {
    if (this.closed) return Promise.reject(new Error('MPI: the world is closed'));
    try {
      // Checked now, so that a bad call rejects naming its own arguments before it joins the queue.
      checkExchange(request, this.size);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const run = this.queue.then(async () => {
      // A pending Atomics.waitAsync does not keep Node's event loop alive; the thread does, while
      // a call is in flight (and only then, so that an idle world never holds the process open).
      this.thread.ref();
      try {
        const done = post(this.control, request);
        // Until DONE really moved, as waitWhileEqual waits (protocol/barrier.ts): a wake-up may be a late notify.
        while (Atomics.load(this.control.words, WORD.DONE) === done) {
          const wait = waitAsync(this.control.words, WORD.DONE, done);
          if (wait.async) await wait.value;
        }
        result(this.control, 'MPI call');
      } finally {
        this.thread.unref();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Every rank's `count` elements at byte `sendOffset` land in rank order at byte `recvOffset` of every rank.
   * @param sendOffset - byte offset of this rank's elements in the memory, or `IN_PLACE` (they are already at their
   *   place in the receive buffer)
   * @param count - elements each rank sends
   * @param recvOffset - byte offset of the receive buffer, `size × count` elements
   * @param element - the element type (its MPI datatype), which sizes `count`
   */
  allgather(sendOffset: number, count: number, recvOffset: number, element: MpiElement): Promise<void> {
    return this.call({ op: OP.ALLGATHER, element, args: [sendOffset, count, recvOffset] });
  }

  /**
   * As `allgather`, rank r sending `counts[r]` elements that land at element `displs[r]`.
   * @param sendOffset - byte offset of this rank's elements, or `IN_PLACE`
   * @param counts - elements each rank sends, one per rank
   * @param displs - where each rank's elements land, in elements from `recvOffset`, one per rank
   * @param recvOffset - byte offset of the receive buffer
   * @param element - the element type (its MPI datatype)
   */
  allgatherv(
    sendOffset: number,
    counts: readonly number[],
    displs: readonly number[],
    recvOffset: number,
    element: MpiElement,
  ): Promise<void> {
    return this.call({ op: OP.ALLGATHERV, element, args: [sendOffset, recvOffset], counts, displs });
  }

  /**
   * Each rank sends a part of its buffer to every rank and receives a part from every rank
   * (MPI_Alltoallv); the regions read and written must not overlap. What a rank sends to itself
   * is copied too: give it a count of 0 where it is already in place.
   * @param sendOffset - byte offset in the shared memory that `sendDispls` count from
   * @param sendCounts - elements this rank sends to each rank q
   * @param sendDispls - element offset, after `sendOffset`, of what goes to each rank q
   * @param recvOffset - byte offset in the shared memory that `recvDispls` count from
   * @param recvCounts - elements this rank receives from each rank q (its `sendCounts` for this rank)
   * @param recvDispls - element offset, after `recvOffset`, where what comes from each rank q lands
   * @param element - the element type
   */
  alltoallv(
    sendOffset: number,
    sendCounts: readonly number[],
    sendDispls: readonly number[],
    recvOffset: number,
    recvCounts: readonly number[],
    recvDispls: readonly number[],
    element: MpiElement,
  ): Promise<void> {
    return this.call({
      op: OP.ALLTOALLV,
      element,
      args: [sendOffset, recvOffset],
      counts: sendCounts,
      displs: sendDispls,
      recvCounts,
      recvDispls,
    });
  }

  /**
   * MPI's own MPI_Allreduce sum: for benchmarks only (its order of additions is the library's).
   * @param sendOffset - byte offset of this rank's `count` elements (`IN_PLACE` is not supported here)
   * @param recvOffset - byte offset where every rank receives the sums
   * @param count - elements to sum
   * @param element - the element type (its MPI datatype)
   */
  allreduceSum(sendOffset: number, recvOffset: number, count: number, element: MpiElement): Promise<void> {
    return this.call({ op: OP.ALLREDUCE_SUM, element, args: [sendOffset, recvOffset, count] });
  }

  barrier(): Promise<void> {
    return this.call({ op: OP.BARRIER });
  }

  /** Finalises MPI and ends the MPI thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    const exited = new Promise<void>((resolve) => this.thread.once('exit', () => resolve()));
    await this.call({ op: OP.FINALIZE });
    this.closed = true;
    this.thread.ref();
    await exited;
  }
}
