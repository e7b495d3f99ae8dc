import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findMpirun } from './mpirun.js';

// Training across MPI ranks (MPICH on loopback): every layout ranks × workers trains to the bytes
// of one process with one worker. Each case runs `mpirun -n R node fixtures/mpi-train.mjs`.
const fixture = fileURLToPath(new URL('./fixtures/mpi-train.mjs', import.meta.url));

const mpirun = findMpirun();
if (!mpirun) console.warn('NOTICE: mpirun not found (Debian: apt-get install mpich): the MPI trainer tests of @loom/parallel are SKIPPED');

interface RankLine {
  rank: number;
  ranks: number;
  hash: string;
  losses: number[];
  val: [number, number];
}

interface Ran {
  status: number | null;
  lines: RankLine[];
  stderr: string;
  seconds: number;
}

/** One run: under `mpirun -n ranks`, or a plain process when ranks is 0. */
function train(ranks: number, run: Record<string, unknown>): Ran {
  const started = Date.now();
  const args = [fixture, JSON.stringify(run)];
  const result =
    ranks === 0
      ? spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 200_000 })
      : spawnSync(mpirun!, ['-n', String(ranks), process.execPath, ...args], { encoding: 'utf8', timeout: 200_000 });
  const lines = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as RankLine)
    .sort((a, b) => a.rank - b.rank);
  return { status: result.status, lines, stderr: result.stderr, seconds: (Date.now() - started) / 1000 };
}

/** Gradient clipping and an L2 penalty: every exchange of a step is in play (losses, nodes, Σg², parameters). */
const RUN = { clip: 0.5, l2: 1e-3 };

// Each case starts several processes: on a loaded machine that is a minute, not seconds.
describe.skipIf(!mpirun)('DataParallelTrainer across MPI ranks', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'loom-mpi-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let reference: RankLine | null = null;
  const single = (): RankLine => {
    if (!reference) {
      const ran = train(0, { ...RUN, workers: 1 });
      expect(ran.status, ran.stderr).toBe(0);
      reference = ran.lines[0]!;
    }
    return reference;
  };

  it.each([
    [1, 2],
    [2, 1],
    [2, 2],
    [3, 1],
  ])('%i rank(s) × %i worker(s): the parameters, optimizer state, losses and validation of 1 × 1, bit for bit', (ranks, workers) => {
    const ran = train(ranks, { ...RUN, workers, distributed: 'mpi' });
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.lines.map((l) => [l.rank, l.ranks])).toEqual(Array.from({ length: ranks }, (_, r) => [r, ranks]));
    const one = single();
    // 2 epochs of 2 batches (64, then 56 rows in 14 chunks of 4).
    expect(one.losses).toHaveLength(4);
    for (const line of ran.lines) {
      expect(line.hash).toBe(one.hash);
      expect(line.losses).toEqual(one.losses);
      expect(line.val).toEqual(one.val);
    }
  });

  it('BatchNorm: every rank tracks every chunk’s statistics in chunk order; 2 × 1 and 2 × 2 give the bytes (buffers too) of 1 × 1', () => {
    const alone = train(0, { ...RUN, workers: 1, batchNorm: true });
    expect(alone.status, alone.stderr).toBe(0);
    const one = alone.lines[0]!;
    expect(one.hash).not.toBe(single().hash);
    for (const [ranks, workers] of [
      [2, 1],
      [2, 2],
    ] as const) {
      const ran = train(ranks, { ...RUN, workers, distributed: 'mpi', batchNorm: true });
      expect(ran.status, ran.stderr).toBe(0);
      expect(ran.lines).toHaveLength(ranks);
      for (const line of ran.lines) {
        expect(line.hash).toBe(one.hash);
        expect(line.losses).toEqual(one.losses);
        expect(line.val).toEqual(one.val);
      }
    }
  });

  it('a checkpoint written by rank 0 of 2 ranks resumes on 1 rank × 3 workers to the bytes of an unbroken run', () => {
    const file = join(dir, 'epoch-1.safetensors');
    const first = train(2, { ...RUN, workers: 1, epochs: 1, save: file });
    expect(first.status, first.stderr).toBe(0);
    const resumed = train(1, { ...RUN, workers: 3, distributed: 'mpi', epochs: 1, load: file });
    expect(resumed.status, resumed.stderr).toBe(0);
    const one = single();
    expect(resumed.lines[0]!.hash).toBe(one.hash);
    expect([...first.lines[0]!.losses, ...resumed.lines[0]!.losses]).toEqual(one.losses);
  });

  it('a checkpoint of 1 process × 1 worker resumes on 2 ranks × 2 workers (each rank loading only its range of the optimizer state) to the bytes of an unbroken run', () => {
    const file = join(dir, 'alone-epoch-1.safetensors');
    const first = train(0, { ...RUN, workers: 1, epochs: 1, save: file });
    expect(first.status, first.stderr).toBe(0);
    const resumed = train(2, { ...RUN, workers: 2, distributed: 'mpi', epochs: 1, load: file });
    expect(resumed.status, resumed.stderr).toBe(0);
    const one = single();
    for (const line of resumed.lines) {
      expect(line.hash).toBe(one.hash);
      expect([...first.lines[0]!.losses, ...line.losses]).toEqual(one.losses);
    }
  });

  it('a worker that throws on rank 1: every rank exits non-zero at that step, rank 1 naming its error and rank 0 naming rank 1; stateDict() then refuses (each rank holds a part of the optimizer state)', () => {
    const ran = train(2, { workers: 1, faulty: [1, 'throw', 10], stateAfterFailure: true });
    expect(ran.status).not.toBe(0);
    expect(ran.stderr).toMatch(/rank 1: the model's forward threw at step 2 \(epoch 1, batch 2\) in worker 0: boom from the model module/);
    expect(ran.stderr).toMatch(/rank 0: rank 1 failed at step 2 \(epoch 1, batch 2\)/);
    for (const rank of [0, 1]) {
      expect(ran.stderr).toMatch(
        new RegExp(
          `rank ${rank}: stateDict: DataParallelTrainer: stateDict\\(\\) after the workers stopped \\(.*\\): each of the 2 ranks holds only its range of the optimizer state`,
        ),
      );
    }
    expect(ran.seconds).toBeLessThan(90);
  });

  it('a rank that dies mid-run ends the job non-zero within seconds', () => {
    const ran = train(2, { workers: 1, fail: { rank: 1, step: 2, how: 'exit' } });
    expect(ran.status).not.toBe(0);
    expect(ran.lines).toEqual([]);
    expect(ran.seconds).toBeLessThan(90);
  });

  it('a rank whose forward hangs: the watchdog ends every rank, naming the stuck worker on that rank', () => {
    const ran = train(2, { workers: 1, faulty: [1, 'loop', 10], timeout: 2000 });
    expect(ran.status).not.toBe(0);
    expect(ran.stderr).toMatch(
      /rank 1: step 2 \(epoch 1, batch 2\) ran past the watchdog's 2\.0 s with worker 0 still computing its chunks/,
    );
    expect(ran.seconds).toBeLessThan(90);
  });
});
