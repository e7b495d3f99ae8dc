import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { eventsOf, finished, freshDir, LOOM_BIN, runLoom } from './helpers.js';

const sessionDir = inject('sessionDir');
const mnist2k = inject('mnist2k');

function findMpirun(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v mpirun'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}
const mpirun = findMpirun();
if (!mpirun) console.warn('NOTICE: mpirun not found (Debian: apt-get install mpich): the `mpirun loom train` tests are SKIPPED');

/** Resolves once `text` has appeared in the stream. */
function seen(stream: NodeJS.ReadableStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString();
      if (buffered.includes(text)) {
        stream.off('data', onData);
        resolve();
      }
    };
    stream.on('data', onData);
  });
}

/** `mpirun -n RANKS loom ARGS`, output piped. */
function spawnRanks(ranks: number, args: string[], cwd: string): ChildProcess {
  return spawn(mpirun!, ['-n', String(ranks), process.execPath, LOOM_BIN, ...args], {
    cwd,
    env: { ...process.env, LOOM_CACHE_DIR: join(sessionDir, 'cache'), LOOM_DEBUG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe.skipIf(!mpirun)('mpirun -n 2 loom train (MPICH on loopback)', () => {
  it('trains as one run: rank 0 alone prints and writes it, and the checkpoint has the bytes of one process with 2 workers', async () => {
    const dir = freshDir(sessionDir, 'mpirun');
    const common = ['train', '--data', mnist2k, '--batch-size', '100', '--micro-batch', '25', '--epochs', '1', '--json'];
    const ranked = join(dir, 'ranked');
    const single = join(dir, 'single');
    const child = spawnRanks(2, [...common, '--workers', '1', '--out', ranked], dir);
    const [a, b] = await Promise.all([finished(child), runLoom([...common, '--workers', '2', '--out', single], { sessionDir })]);
    expect([a.code, a.stderr, b.code, b.stderr]).toEqual([0, '', 0, '']);
    // One start, one done: rank 1 printed nothing; the notice names the layout.
    expect(eventsOf(a.stdout, 'start')).toHaveLength(1);
    expect(eventsOf(a.stdout, 'done')).toHaveLength(1);
    expect(eventsOf(a.stdout, 'notice').map((e) => e['message'])).toContain('training on 2 MPI ranks × 1 worker threads');
    expect(eventsOf(a.stdout, 'step').map((e) => e['loss'])).toEqual(eventsOf(b.stdout, 'step').map((e) => e['loss']));
    const file = (run: string): Buffer => readFileSync(join(run, 'checkpoints', 'epoch-0001.safetensors'));
    expect(file(ranked).equals(file(single))).toBe(true);
    // Written once: no staging or temporary leftovers beside the run.
    expect(readdirSync(dir).sort()).toEqual(['ranked', 'single']);
  });

  it('SIGTERM to mpirun: every rank stops after the same step and rank 0 writes the checkpoint of that step', async () => {
    const dir = freshDir(sessionDir, 'mpirun-sigterm');
    const child = spawnRanks(2, ['train', '--data', mnist2k, '--epochs', '50', '--workers', '1', '--out', 'run', '--json'], dir);
    const done = finished(child);
    await seen(child.stdout!, '"event":"step"');
    child.kill('SIGTERM');
    const result = await done;
    const steps = eventsOf(result.stdout, 'step');
    const [checkpoint] = eventsOf(result.stdout, 'checkpoint').filter((c) => c['reason'] === 'interrupt');
    expect(checkpoint, result.stderr).toMatchObject({ step: steps.at(-1)!['step'] });
    expect(eventsOf(result.stdout, 'done')[0]).toMatchObject({
      status: 'interrupted',
      stoppedBy: 'SIGTERM',
      checkpoint: checkpoint!['path'],
    });
    expect(JSON.parse(readFileSync(join(dir, 'run', 'checkpoints', 'latest.json'), 'utf8'))).toMatchObject({ reason: 'interrupt' });
  });
});
