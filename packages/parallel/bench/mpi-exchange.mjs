// The inter-rank exchange, measured: `mpirun -n R node packages/parallel/bench/mpi-exchange.mjs`.
// For each size, every rank holds a partial sum of the buffer and every rank must end with the
// whole sum. Three ways, on the same buffers, medians of 30 rounds:
// - loom: the trainer's exchange. A reduce-scatter by MPI_Alltoallv (each rank receives every
//   other rank's partial sum over its own range of the buffer only), Loom's fixed-order sum of that
//   range, then MPI_Allgatherv of the ranges (in place).
// - allgather: the exchange before it: MPI_Allgather of every rank's whole partial sum, then the
//   fixed-order sum of the whole buffer on every rank (R times the bytes received).
// - MPI_Allreduce (MPI_SUM): MPI's own, whose order of additions is the library's.
// GB/s counts the bytes of one rank's buffer per second of the whole operation.
import { sharedMemory, sumSlotsKernel, zeros } from '@loom/core';
import { IN_PLACE, MpiWorld } from '../dist/index.js';

const world = await MpiWorld.start(sharedMemory().buffer);
const R = world.size;
const me = world.rank;
const sum = sumSlotsKernel.select('float32');
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
const rows = [];
for (const floats of [1 << 16, 1 << 18, 1 << 20, 1 << 22]) {
  // Slot r holds rank r's partial sum (this rank fills its own); the whole sum lands in `result`.
  const slots = zeros([floats * R]);
  const all = slots.storage.array();
  all.subarray(me * floats, (me + 1) * floats).fill(me + 1);
  const result = zeros([floats]);
  const out = result.storage.array();
  const slotViews = Array.from({ length: R }, (_, r) => all.subarray(r * floats, (r + 1) * floats));
  const ranges = Array.from({ length: R }, (_, r) => [Math.floor((floats * r) / R), Math.floor((floats * (r + 1)) / R)]);
  const counts = ranges.map(([s, e]) => e - s);
  const starts = ranges.map(([s]) => s);
  const [from, to] = ranges[me];
  const ownViews = slotViews.map((v) => v.subarray(from, to));
  const partial = slotViews[me];
  const scatter = {
    sendCounts: counts.map((n, q) => (q === me ? 0 : n)),
    sendDispls: starts.map((s) => me * floats + s),
    recvCounts: counts.map((_, q) => (q === me ? 0 : counts[me])),
    recvDispls: Array.from({ length: R }, (_, q) => q * floats + from),
  };
  const offset = slots.storage.byteOffset;
  const loom = [];
  const gather = [];
  const mpi = [];
  for (let round = 0; round < 33; round++) {
    await world.barrier();
    let t = performance.now();
    await world.alltoallv(offset, scatter.sendCounts, scatter.sendDispls, offset, scatter.recvCounts, scatter.recvDispls, 'float32');
    sum(out.subarray(from, to), ownViews);
    await world.allgatherv(IN_PLACE, counts, starts, result.storage.byteOffset, 'float32');
    if (round >= 3) loom.push(performance.now() - t);
    // Every rank's partial sum is r + 1: the whole sum is R(R + 1)/2 everywhere.
    if (out.some((v) => v !== (R * (R + 1)) / 2)) throw new Error(`rank ${me}: the exchange gave a wrong sum`);
    out.fill(0);
    await world.barrier();
    t = performance.now();
    await world.allgather(IN_PLACE, floats, offset, 'float32');
    sum(out, slotViews);
    if (round >= 3) gather.push(performance.now() - t);
    await world.barrier();
    t = performance.now();
    await world.allreduceSum(partial.byteOffset, result.storage.byteOffset, floats, 'float32');
    if (round >= 3) mpi.push(performance.now() - t);
  }
  const bytes = floats * 4;
  const gbs = (ms) => (bytes / ms / 1e6).toFixed(2);
  rows.push({
    MiB: bytes / 2 ** 20,
    'loom ms': median(loom).toFixed(3),
    'loom GB/s': gbs(median(loom)),
    'allgather ms': median(gather).toFixed(3),
    'allgather GB/s': gbs(median(gather)),
    'MPI_Allreduce ms': median(mpi).toFixed(3),
    'MPI_Allreduce GB/s': gbs(median(mpi)),
  });
}
if (me === 0) {
  console.log(`${R} ranks, ${world.description}`);
  console.table(rows);
}
await world.close();
