// The inter-rank exchange, measured: `mpirun -n 2 node packages/parallel/bench/mpi-exchange.mjs`.
// For each size, Loom's exchange (MPI_Allgather of every rank's partial sum, then a fixed-order
// sum on every rank) beside MPI's own MPI_Allreduce on the same buffer; medians of 30 rounds.
// GB/s counts the bytes of one rank's buffer per second of the whole operation.
import { sharedMemory, sumSlotsKernel, zeros } from '@loom/core';
import { MpiWorld } from '../dist/index.js';

const world = await MpiWorld.start(sharedMemory().buffer);
const sum = sumSlotsKernel.select('float32');
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
const rows = [];
for (const floats of [1 << 16, 1 << 18, 1 << 20, 1 << 22]) {
  const partial = zeros([floats]).add(world.rank + 1);
  const gathered = zeros([floats * world.size]);
  const result = zeros([floats]);
  const all = gathered.storage.array();
  const slots = Array.from({ length: world.size }, (_, r) => all.subarray(r * floats, (r + 1) * floats));
  const loom = [];
  const mpi = [];
  for (let round = 0; round < 33; round++) {
    await world.barrier();
    let t = performance.now();
    await world.allgather(partial.storage.byteOffset, floats, gathered.storage.byteOffset, 'float32');
    sum(result.storage.array(), slots);
    if (round >= 3) loom.push(performance.now() - t);
    await world.barrier();
    t = performance.now();
    await world.allreduceSum(partial.storage.byteOffset, result.storage.byteOffset, floats, 'float32');
    if (round >= 3) mpi.push(performance.now() - t);
  }
  const bytes = floats * 4;
  rows.push({
    MiB: bytes / 2 ** 20,
    'loom ms': median(loom).toFixed(3),
    'loom GB/s': (bytes / median(loom) / 1e6).toFixed(2),
    'MPI_Allreduce ms': median(mpi).toFixed(3),
    'MPI_Allreduce GB/s': (bytes / median(mpi) / 1e6).toFixed(2),
  });
}
if (world.rank === 0) {
  console.log(`${world.size} ranks, ${world.description}`);
  console.table(rows);
}
await world.close();
