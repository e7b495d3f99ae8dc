import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { autoDistributed, detectMpiLaunch, MpiWorld } from '../dist/index.js';
import { findMpirun } from './mpirun.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

const mpirun = findMpirun();
if (!mpirun) console.warn('NOTICE: mpirun not found (Debian: apt-get install mpich): the MPI tests of @loom/parallel are SKIPPED');

function runRanks(script: string, ranks: number): { status: number | null; lines: Record<string, unknown>[]; stderr: string; ms: number } {
  const started = Date.now();
  const result = spawnSync(mpirun!, ['-n', String(ranks), process.execPath, script], { cwd: fixtures, encoding: 'utf8', timeout: 60_000 });
  const lines = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { status: result.status, lines, stderr: result.stderr, ms: Date.now() - started };
}

describe('detectMpiLaunch', () => {
  it('reads the rank and size that Hydra, Slurm and Open MPI set, and nothing from a plain process', () => {
    expect(detectMpiLaunch({})).toBeNull();
    expect(detectMpiLaunch({ PMI_RANK: '1', PMI_SIZE: '4' })).toEqual({ launcher: 'hydra', rank: 1, size: 4 });
    expect(detectMpiLaunch({ SLURM_PROCID: '0', SLURM_NTASKS: '2' })).toEqual({ launcher: 'slurm', rank: 0, size: 2 });
    expect(detectMpiLaunch({ OMPI_COMM_WORLD_RANK: '2', OMPI_COMM_WORLD_SIZE: '3' })).toEqual({ launcher: 'open-mpi', rank: 2, size: 3 });
    expect(detectMpiLaunch({ PMI_RANK: '4', PMI_SIZE: '4' })).toBeNull();
    expect(detectMpiLaunch({ PMI_RANK: 'x', PMI_SIZE: '4' })).toBeNull();
  });
});

describe("autoDistributed (the trainer's distributed: 'auto')", () => {
  it('is mpi under a launch of several ranks, none for one rank or a plain process, and refuses Open MPI by name', () => {
    expect(autoDistributed({})).toBe('none');
    expect(autoDistributed({ PMI_RANK: '0', PMI_SIZE: '1' })).toBe('none');
    expect(autoDistributed({ SLURM_PROCID: '0', SLURM_NTASKS: '1' })).toBe('none');
    expect(autoDistributed({ PMI_RANK: '1', PMI_SIZE: '2' })).toBe('mpi');
    expect(autoDistributed({ SLURM_PROCID: '3', SLURM_NTASKS: '4' })).toBe('mpi');
    expect(() => autoDistributed({ OMPI_COMM_WORLD_RANK: '0', OMPI_COMM_WORLD_SIZE: '2' })).toThrow(/Open MPI's mpirun \(rank 0 of 2\)/);
  });
});

describe.skipIf(!mpirun)('MPI collectives on shared WebAssembly memory (MPICH on loopback)', () => {
  it.each([1, 2, 3])(
    '%i rank(s): allgather, allgatherv, alltoallv, and fixed-order partial sums equal to one process, bit for bit',
    (ranks) => {
      const { status, lines, stderr } = runRanks('mpi-collectives.mjs', ranks);
      expect(status, stderr).toBe(0);
      expect(lines.map((l) => l['rank']).sort()).toEqual(Array.from({ length: ranks }, (_, r) => r));
      const gathered = Array.from({ length: ranks }, (_, r) => [r * 10, r * 10 + 1, r * 10 + 2]).flat();
      const gatheredV = Array.from({ length: ranks }, (_, r) => new Array<number>(r + 1).fill(r)).flat();
      for (const line of lines) {
        expect(line['size']).toBe(ranks);
        expect(line['allgather']).toEqual(gathered);
        expect(line['allgatherv']).toEqual(gatheredV);
        // Rank r holds every rank q's block (q, r): [100q + r, 100q + r + 0.5].
        const r = line['rank'] as number;
        expect(line['alltoallv']).toEqual(Array.from({ length: ranks }, (_, q) => [100 * q + r, 100 * q + r + 0.5]).flat());
        expect(line['combinedHash']).toBe(line['singleHash']);
        expect(line['singleHash']).toBe(lines[0]!['singleHash']);
      }
    },
  );

  it('a rank that dies ends the whole job with a non-zero exit within seconds, no rank left waiting', () => {
    const { status, ms } = runRanks('mpi-rank-dies.mjs', 2);
    expect(status).not.toBe(0);
    expect(ms).toBeLessThan(30_000);
  });
});

describe('without an MPI library', () => {
  it('MpiWorld.start rejects naming the library it could not load', async () => {
    const buffer = new SharedArrayBuffer(1 << 16);
    await expect(MpiWorld.start(buffer, '/nonexistent/libmpi.so.12')).rejects.toThrow(
      /no MPI library could be loaded \(\/nonexistent\/libmpi\.so\.12: /,
    );
  });
});
