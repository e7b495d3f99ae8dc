// apps/bench's MPI part: the inter-rank exchange beside MPI_Allreduce on the same buffer, and W2 on
// 1 and 2 ranks. The measuring scripts live beside the code they measure, in @loom/parallel's
// bench/ (mpi-exchange.mjs, mpi-w2.mjs); this runs them in the order the README reports them.
// Usage: pnpm --filter @loom/bench bench:mpi [ranks=2] [steps=20]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ranks = Number(process.argv[2] ?? 2);
const steps = Number(process.argv[3] ?? 20);
if (!Number.isInteger(ranks) || ranks < 2 || !Number.isInteger(steps) || steps < 1) {
  console.error('usage: bench:mpi [ranks ≥ 2] [steps ≥ 1]');
  process.exit(2);
}
const bench = (name) => fileURLToPath(new URL(`../../../packages/parallel/bench/${name}`, import.meta.url));

if (spawnSync('mpirun', ['--version'], { stdio: 'ignore' }).error) {
  console.error('bench:mpi: no mpirun on PATH; install MPICH (Debian: apt-get install mpich) to measure across ranks');
  process.exit(2);
}

const runs = [
  [`the exchange, ${ranks} ranks`, 'mpirun', ['-n', String(ranks), process.execPath, bench('mpi-exchange.mjs')]],
  ['W2, 1 rank × 1 worker', process.execPath, [bench('mpi-w2.mjs'), '1', String(steps)]],
  [`W2, ${ranks} ranks × 1 worker`, 'mpirun', ['-n', String(ranks), process.execPath, bench('mpi-w2.mjs'), '1', String(steps)]],
];
for (const [title, command, args] of runs) {
  console.log(`\n## ${title}: ${[command === process.execPath ? 'node' : command, ...args].join(' ')}`);
  const { status } = spawnSync(command, args, { stdio: 'inherit' });
  if (status !== 0) {
    console.error(`bench:mpi: ${title} exited with status ${status}`);
    process.exit(1);
  }
}
