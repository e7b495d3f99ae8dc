/**
 * The MPI thread of a process: it initialises MPI, then serves the control block's requests until
 * FINALIZE. MPI calls block; running them here keeps the event loop and the compute threads free
 * to do anything else meanwhile.
 */
import { workerData } from 'node:worker_threads';
import { controlViews, ELEMENTS, OP, STATUS, WORD, writeText } from './comm-protocol.js';
import { MpiCommunicator } from './mpi-library.js';
import { waitWhileEqual } from '../protocol/barrier.js';

interface CommThreadData {
  readonly memory: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
  readonly library: string | undefined;
}

const data = workerData as CommThreadData;
const control = controlViews(data.control);
const { words, args } = control;

function serve(mpi: MpiCommunicator): void {
  let seen = 0;
  for (;;) {
    waitWhileEqual(words, WORD.REQUEST, seen);
    seen = Atomics.load(words, WORD.REQUEST);
    const op = Atomics.load(words, WORD.OP);
    const element = ELEMENTS[Atomics.load(words, WORD.ELEMENT)]!;
    let status: number = STATUS.OK;
    try {
      switch (op) {
        case OP.ALLGATHER:
          mpi.allgather(args[0]!, args[1]!, args[2]!, element);
          break;
        case OP.ALLGATHERV:
          mpi.allgatherv(
            args[0]!,
            Array.from(control.counts.subarray(0, mpi.size)),
            Array.from(control.displs.subarray(0, mpi.size)),
            args[1]!,
            element,
          );
          break;
        case OP.ALLTOALLV: {
          const n = mpi.size;
          mpi.alltoallv(
            args[0]!,
            Array.from(control.counts.subarray(0, n)),
            Array.from(control.displs.subarray(0, n)),
            args[1]!,
            Array.from(control.recvCounts.subarray(0, n)),
            Array.from(control.recvDispls.subarray(0, n)),
            element,
          );
          break;
        }
        case OP.ALLREDUCE_SUM:
          mpi.allreduceSum(args[0]!, args[1]!, args[2]!, element);
          break;
        case OP.BARRIER:
          mpi.barrier();
          break;
        case OP.FINALIZE:
          mpi.finalize();
          break;
        default:
          throw new Error(`MPI thread: unknown operation ${op}`);
      }
    } catch (error) {
      status = STATUS.FAILED;
      writeText(control, (error as Error).message);
    }
    Atomics.store(words, WORD.STATUS, status);
    Atomics.add(words, WORD.DONE, 1);
    Atomics.notify(words, WORD.DONE);
    if (op === OP.FINALIZE) return;
  }
}

try {
  const mpi = MpiCommunicator.init(data.memory, data.library);
  Atomics.store(words, WORD.RANK, mpi.rank);
  Atomics.store(words, WORD.SIZE, mpi.size);
  writeText(control, `${mpi.library}: ${mpi.version}`);
  Atomics.store(words, WORD.READY, 1);
  Atomics.notify(words, WORD.READY);
  serve(mpi);
} catch (error) {
  writeText(control, (error as Error).message);
  Atomics.store(words, WORD.READY, -1);
  Atomics.notify(words, WORD.READY);
}
