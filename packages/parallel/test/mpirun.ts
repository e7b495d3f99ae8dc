import { execFileSync } from 'node:child_process';

/** The path of `mpirun` on PATH, or null where MPI is not installed (the MPI tests then skip, saying so). */
export function findMpirun(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v mpirun'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}
