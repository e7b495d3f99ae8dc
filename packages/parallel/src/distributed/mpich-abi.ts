/**
 * The handle values of MPICH's ABI (integer handles, `libmpi.so.12`), shared by MPICH, Intel MPI,
 * MVAPICH and Cray MPICH. Taken from MPICH 4's `mpi.h`; Open MPI's ABI (pointer handles) is a
 * different one and is refused where it is detected.
 */
export const MPICH_ABI = {
  MPI_SUCCESS: 0,
  MPI_COMM_WORLD: 0x44000000,
  MPI_BYTE: 0x4c00010d,
  MPI_INT: 0x4c000405,
  MPI_FLOAT: 0x4c00040a,
  MPI_DOUBLE: 0x4c00080b,
  MPI_SUM: 0x58000003,
  MPI_ERRORS_RETURN: 0x54000001,
  MPI_THREAD_FUNNELED: 1,
  /** `(void *) -1`: the send data is the rank's own part of the receive buffer. */
  MPI_IN_PLACE: -1,
} as const;

/** The MPI datatype of each element type Loom exchanges. */
export const MPI_DATATYPE = {
  float32: MPICH_ABI.MPI_FLOAT,
  float64: MPICH_ABI.MPI_DOUBLE,
  int32: MPICH_ABI.MPI_INT,
  bytes: MPICH_ABI.MPI_BYTE,
} as const;

/** An element type MPI moves for Loom. */
export type MpiElement = keyof typeof MPI_DATATYPE;

/** The send offset that stands for MPI_IN_PLACE in Loom's collectives (a byte offset is never negative). */
export const IN_PLACE = -1;
