/**
 * MPI through koffi: the C functions Loom calls, bound from an MPICH-ABI library the machine
 * already has (MPICH, Intel MPI, MVAPICH, Cray MPICH). MPI only moves bytes between ranks; Loom
 * does every sum itself, in its own fixed order. Every call here blocks the calling thread, so
 * they run on a thread of their own (see comm-thread.ts), never on the event loop.
 */
import { IN_PLACE, MPICH_ABI, MPI_DATATYPE, type MpiElement } from './mpich-abi.js';
import { type KoffiLibrary, loadKoffi } from '@loom/core';

/** The bound functions (pointers as byte addresses, handles as MPICH's integers). */
interface MpiFunctions {
  initThread(argc: null, argv: null, required: number, provided: number[]): number;
  initialized(flag: number[]): number;
  commRank(comm: number, rank: number[]): number;
  commSize(comm: number, size: number[]): number;
  commSetErrhandler(comm: number, handler: number): number;
  allgather(send: number, sendCount: number, sendType: number, recv: number, recvCount: number, recvType: number, comm: number): number;
  allgatherv(
    send: number,
    sendCount: number,
    sendType: number,
    recv: number,
    counts: Int32Array,
    displs: Int32Array,
    recvType: number,
    comm: number,
  ): number;
  alltoallv(
    send: number,
    sendCounts: Int32Array,
    sendDispls: Int32Array,
    sendType: number,
    recv: number,
    recvCounts: Int32Array,
    recvDispls: Int32Array,
    recvType: number,
    comm: number,
  ): number;
  allreduce(send: number, recv: number, count: number, type: number, op: number, comm: number): number;
  barrier(comm: number): number;
  abort(comm: number, code: number): number;
  finalize(): number;
  errorString(code: number, text: Buffer, length: number[]): number;
  getLibraryVersion(text: Buffer, length: number[]): number;
}

/** MPICH-ABI library names, most common first (names go to the dynamic loader). */
const CANDIDATES = ['libmpich.so.12', 'libmpi.so.12', 'libmpich.so', 'libmpi.so'];

function bind(lib: KoffiLibrary): MpiFunctions {
  const f = (name: string, parameters: readonly string[]) => lib.func(name, 'int', parameters);
  const ptr = 'intptr_t';
  return {
    initThread: f('MPI_Init_thread', ['void *', 'void *', 'int', '_Out_ int *']),
    initialized: f('MPI_Initialized', ['_Out_ int *']),
    commRank: f('MPI_Comm_rank', ['int', '_Out_ int *']),
    commSize: f('MPI_Comm_size', ['int', '_Out_ int *']),
    commSetErrhandler: f('MPI_Comm_set_errhandler', ['int', 'int']),
    allgather: f('MPI_Allgather', [ptr, 'int', 'int', ptr, 'int', 'int', 'int']),
    allgatherv: f('MPI_Allgatherv', [ptr, 'int', 'int', ptr, 'int *', 'int *', 'int', 'int']),
    alltoallv: f('MPI_Alltoallv', [ptr, 'int *', 'int *', 'int', ptr, 'int *', 'int *', 'int', 'int']),
    allreduce: f('MPI_Allreduce', [ptr, ptr, 'int', 'int', 'int', 'int']),
    barrier: f('MPI_Barrier', ['int']),
    abort: f('MPI_Abort', ['int', 'int']),
    finalize: f('MPI_Finalize', []),
    errorString: f('MPI_Error_string', ['int', '_Out_ char *', '_Out_ int *']),
    getLibraryVersion: f('MPI_Get_library_version', ['_Out_ char *', '_Out_ int *']),
  } as unknown as MpiFunctions;
}

/** Loads the first MPICH-ABI library that loads, or the one `library` names; throws why not. */
function loadMpi(library: string | undefined): { fns: MpiFunctions; library: string } {
  const koffi = loadKoffi();
  const failures: string[] = [];
  for (const name of library === undefined ? CANDIDATES : [library]) {
    try {
      const lib = koffi.load(name);
      try {
        lib.func('ompi_mpi_comm_world', 'int', []);
        failures.push(`${name} is Open MPI, whose ABI Loom does not speak (use MPICH, Intel MPI or MVAPICH)`);
        continue;
      } catch {
        // No Open MPI symbol: an MPICH-ABI library.
      }
      return { fns: bind(lib), library: name };
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(
    `no MPI library could be loaded (${failures.join('; ')}); install MPICH (Debian: apt-get install mpich) or set LOOM_MPI=/path/libmpi.so.12`,
  );
}

/**
 * One process's MPI_COMM_WORLD. Buffers are given as byte offsets into one (shared) memory, whose
 * native address is taken once: a shared WebAssembly memory never moves when it grows.
 */
export class MpiCommunicator {
  readonly rank: number;
  readonly size: number;
  /** The library file and its own version line. */
  readonly library: string;
  readonly version: string;
  private finalized = false;

  private constructor(
    private readonly fns: MpiFunctions,
    library: string,
    private readonly base: number,
  ) {
    const provided = [0];
    this.check('MPI_Init_thread', fns.initThread(null, null, MPICH_ABI.MPI_THREAD_FUNNELED, provided));
    // Errors come back as codes (turned into exceptions) instead of aborting every rank silently.
    this.check('MPI_Comm_set_errhandler', fns.commSetErrhandler(MPICH_ABI.MPI_COMM_WORLD, MPICH_ABI.MPI_ERRORS_RETURN));
    const rank = [0];
    const size = [0];
    this.check('MPI_Comm_rank', fns.commRank(MPICH_ABI.MPI_COMM_WORLD, rank));
    this.check('MPI_Comm_size', fns.commSize(MPICH_ABI.MPI_COMM_WORLD, size));
    this.rank = rank[0]!;
    this.size = size[0]!;
    this.library = library;
    const text = Buffer.alloc(8192);
    const length = [0];
    fns.getLibraryVersion(text, length);
    this.version = text.subarray(0, length[0]).toString('utf8').split('\n')[0]!.trim();
  }

  /**
   * Initialises MPI on the calling thread (which must make every later call: MPI_THREAD_FUNNELED)
   * for buffers inside `buffer` (a shared WebAssembly memory's buffer, or any SharedArrayBuffer).
   */
  static init(buffer: SharedArrayBuffer, library?: string): MpiCommunicator {
    const loaded = loadMpi(library);
    const koffi = loadKoffi();
    const base = Number(koffi.address(new Uint8Array(buffer, 0, 1)));
    return new MpiCommunicator(loaded.fns, loaded.library, base);
  }

  /** A send offset as MPI takes it: IN_PLACE (the rank's own part of the receive buffer) becomes MPI_IN_PLACE. */
  private send(offset: number): number {
    return offset === IN_PLACE ? MPICH_ABI.MPI_IN_PLACE : this.base + offset;
  }

  /**
   * Every rank's `count` elements at `sendOffset` land, in rank order, at `recvOffset` of every
   * rank; with `sendOffset` IN_PLACE, each rank's part is already in place in the receive buffer.
   */
  allgather(sendOffset: number, count: number, recvOffset: number, element: MpiElement): void {
    const type = MPI_DATATYPE[element];
    const world = MPICH_ABI.MPI_COMM_WORLD;
    this.check('MPI_Allgather', this.fns.allgather(this.send(sendOffset), count, type, this.base + recvOffset, count, type, world));
  }

  /** As `allgather`, rank r sending `counts[r]` elements that land at element `displs[r]` of the receive buffer (IN_PLACE: already there). */
  allgatherv(sendOffset: number, counts: readonly number[], displs: readonly number[], recvOffset: number, element: MpiElement): void {
    const type = MPI_DATATYPE[element];
    const sendCount = counts[this.rank]!;
    this.check(
      'MPI_Allgatherv',
      this.fns.allgatherv(
        this.send(sendOffset),
        sendCount,
        type,
        this.base + recvOffset,
        Int32Array.from(counts),
        Int32Array.from(displs),
        type,
        MPICH_ABI.MPI_COMM_WORLD,
      ),
    );
  }

  /**
   * Rank r sends `sendCounts[q]` elements from element `sendDispls[q]` after `sendOffset` to rank
   * q, and receives `recvCounts[q]` elements from rank q at element `recvDispls[q]` after
   * `recvOffset`. The regions read and written must not overlap (Loom gives a rank's own part a
   * count of 0 where it is already in place).
   */
  alltoallv(
    sendOffset: number,
    sendCounts: readonly number[],
    sendDispls: readonly number[],
    recvOffset: number,
    recvCounts: readonly number[],
    recvDispls: readonly number[],
    element: MpiElement,
  ): void {
    const type = MPI_DATATYPE[element];
    this.check(
      'MPI_Alltoallv',
      this.fns.alltoallv(
        this.base + sendOffset,
        Int32Array.from(sendCounts),
        Int32Array.from(sendDispls),
        type,
        this.base + recvOffset,
        Int32Array.from(recvCounts),
        Int32Array.from(recvDispls),
        type,
        MPICH_ABI.MPI_COMM_WORLD,
      ),
    );
  }

  /**
   * MPI's own sum (`MPI_Allreduce` with MPI_SUM), for comparison in benchmarks only: its order of
   * additions is the library's, so Loom never uses it for values that must be reproducible.
   */
  allreduceSum(sendOffset: number, recvOffset: number, count: number, element: MpiElement): void {
    const type = MPI_DATATYPE[element];
    this.check(
      'MPI_Allreduce',
      this.fns.allreduce(this.base + sendOffset, this.base + recvOffset, count, type, MPICH_ABI.MPI_SUM, MPICH_ABI.MPI_COMM_WORLD),
    );
  }

  barrier(): void {
    this.check('MPI_Barrier', this.fns.barrier(MPICH_ABI.MPI_COMM_WORLD));
  }

  /** Ends every rank of the job with `code` (the launcher then reports it). */
  abort(code: number): never {
    this.fns.abort(MPICH_ABI.MPI_COMM_WORLD, code);
    throw new Error(`MPI_Abort(${code}) returned`);
  }

  finalize(): void {
    if (this.finalized) return;
    this.finalized = true;
    this.check('MPI_Finalize', this.fns.finalize());
  }

  private check(call: string, code: number): void {
    if (code === MPICH_ABI.MPI_SUCCESS) return;
    const text = Buffer.alloc(1024);
    const length = [0];
    this.fns.errorString(code, text, length);
    throw new Error(`${call} failed on rank ${this.rank ?? '?'}: ${text.subarray(0, length[0]).toString('utf8')} (error ${code})`);
  }
}
