/**
 * The commands' side of an MPI launch (`mpirun -n 2 loom …`, `srun loom …`): every rank runs the
 * same command, rank 0 alone prints its result, and an error is printed by the rank it happened
 * on, prefixed with that rank.
 */
import { detectMpiLaunch } from '@loom/parallel';
import { TrainingError, UsageError } from './errors.js';

/**
 * This process's rank and the number of ranks as the launcher's environment gives them (Hydra's
 * PMI_RANK/PMI_SIZE, Slurm's SLURM_PROCID/SLURM_NTASKS), without starting MPI: for commands that
 * exchange nothing between ranks. Rank 0 of 1 outside a launch.
 */
export function launchRank(): { rank: number; ranks: number } {
  const launch = detectMpiLaunch(process.env);
  return launch ? { rank: launch.rank, ranks: launch.size } : { rank: 0, ranks: 1 };
}

/** The same error (same exit status), its message prefixed with the rank it happened on. */
export function onRank(error: unknown, rank: number): Error {
  const message = `rank ${rank}: ${error instanceof Error ? error.message : String(error)}`;
  if (error instanceof UsageError) return new UsageError(message, { cause: error });
  return new TrainingError(message, { cause: error });
}
