/**
 * Whether this process was started by an MPI launcher, read from the variables the launchers set:
 * MPICH's and Intel MPI's Hydra (`mpirun`, `mpiexec`: PMI_RANK, PMI_SIZE), Slurm's `srun`
 * (SLURM_PROCID, SLURM_NTASKS) and Open MPI's `mpirun` (OMPI_COMM_WORLD_RANK: another ABI, refused
 * by the caller with a clear message). The rank and size MPI itself reports are the truth once it
 * is initialised; these only decide whether to initialise it.
 */
export interface MpiLaunch {
  /** Who started the process. */
  readonly launcher: 'hydra' | 'slurm' | 'open-mpi';
  readonly rank: number;
  readonly size: number;
}

function integer(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value)) return null;
  return Number(value);
}

/**
 * The launch this environment describes, or null for a plain process (one rank).
 * @param env - the environment to read (`process.env`): Hydra's `PMI_RANK`/`PMI_SIZE`, Open MPI's
 *   `OMPI_COMM_WORLD_RANK`/`_SIZE` or Slurm's `SLURM_PROCID`/`SLURM_NTASKS`, in that order
 */
export function detectMpiLaunch(env: Readonly<Record<string, string | undefined>>): MpiLaunch | null {
  const from = (launcher: MpiLaunch['launcher'], rankKey: string, sizeKey: string): MpiLaunch | null => {
    const rank = integer(env[rankKey]);
    const size = integer(env[sizeKey]);
    return rank !== null && size !== null && size >= 1 && rank < size ? { launcher, rank, size } : null;
  };
  return (
    from('hydra', 'PMI_RANK', 'PMI_SIZE') ??
    from('open-mpi', 'OMPI_COMM_WORLD_RANK', 'OMPI_COMM_WORLD_SIZE') ??
    from('slurm', 'SLURM_PROCID', 'SLURM_NTASKS')
  );
}

/**
 * What `distributed: 'auto'` means in an environment: 'mpi' under a launch of more than one rank,
 * else 'none' (a Slurm job step of one task, a plain process). Open MPI's launcher is refused
 * here, by name: its ABI is not the one Loom binds.
 * @param env - the environment to read (`process.env`)
 */
export function autoDistributed(env: Readonly<Record<string, string | undefined>>): 'mpi' | 'none' {
  const launch = detectMpiLaunch(env);
  if (launch === null || launch.size === 1) return 'none';
  if (launch.launcher === 'open-mpi') {
    throw new Error(
      `this process was started by Open MPI's mpirun (rank ${launch.rank} of ${launch.size}), whose ABI Loom does not speak: launch with MPICH's mpirun (or Intel MPI, MVAPICH, srun over an MPICH-ABI library)`,
    );
  }
  return 'mpi';
}
