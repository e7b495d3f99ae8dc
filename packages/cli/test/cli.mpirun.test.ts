import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

/** The lines of a stderr, sorted (ranks write in any order). */
const lines = (stderr: string): string[] => stderr.split('\n').filter(Boolean).sort();

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

  it('loom eval: rank 0 alone prints the result, that of one process; an error (of eval, of sample) is printed by each rank, naming it, with the usage exit status', async () => {
    const dir = freshDir(sessionDir, 'mpirun-eval');
    const run = join(dir, 'run');
    const trained = await runLoom(['train', '--data', mnist2k, '--batch-size', '100', '--epochs', '1', '--workers', '1', '--out', run], {
      sessionDir,
    });
    expect([trained.code, trained.stderr]).toEqual([0, '']);
    // Each rank evaluates its share of the validation rows; the gathered result is printed once.
    const [ranked, alone] = await Promise.all([
      finished(spawnRanks(2, ['eval', '--run', run, '--json'], dir)),
      runLoom(['eval', '--run', run], { sessionDir }),
    ]);
    expect([ranked.code, ranked.stderr, alone.code, alone.stderr]).toEqual([0, '', 0, '']);
    expect(eventsOf(ranked.stdout, 'eval')).toEqual(eventsOf(alone.stdout, 'eval'));
    expect(ranked.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    const text = await finished(spawnRanks(2, ['eval', '--run', run], dir));
    expect([text.code, text.stderr]).toEqual([0, '']);
    expect(text.stdout).toMatch(
      /^run\/checkpoints\/epoch-0001\.safetensors on 200 validation rows of .*: loss \d\.\d+ {2}accuracy 0\.\d+\n$/,
    );
    mkdirSync(join(dir, 'empty'));
    const refused = await finished(spawnRanks(2, ['eval', '--run', 'empty'], dir));
    expect([refused.code, refused.stdout]).toEqual([2, '']);
    expect(lines(refused.stderr)).toEqual([0, 1].map((r) => `loom: rank ${r}: empty is not a loom run: config.json is missing`));
    const notText = await finished(spawnRanks(2, ['sample', '--run', 'run'], dir));
    expect([notText.code, notText.stdout]).toEqual([2, '']);
    expect(lines(notText.stderr)).toEqual(
      [0, 1].map((r) => `loom: rank ${r}: run trained 'mlp'; loom sample needs a char-transformer run on text data (loom data text)`),
    );
  });

  it('loom sample: rank 0 alone prints the text, the text of one process', async () => {
    const dir = freshDir(sessionDir, 'mpirun-sample');
    writeFileSync(join(dir, 'tiny.txt'), 'the cat sat on the mat\nthe dog sat on the log\n'.repeat(6));
    const data = await runLoom(
      ['data', 'text', join(dir, 'tiny.txt'), '--out', join(dir, 'tiny.arrow'), '--context-length', '8', '--stride', '4'],
      {
        sessionDir,
      },
    );
    expect([data.code, data.stderr]).toEqual([0, '']);
    const model = 'char-transformer:dModel=16,nhead=2,numLayers=1';
    const common = ['--data', join(dir, 'tiny.arrow'), '--model', model, '--epochs', '1', '--batch-size', '16', '--micro-batch', '8'];
    const trained = await runLoom(['train', ...common, '--workers', '1', '--out', join(dir, 'run')], { sessionDir });
    expect([trained.code, trained.stderr]).toEqual([0, '']);
    const args = ['sample', '--run', 'run', '--length', '30', '--seed', '1'];
    const [ranked, alone] = await Promise.all([finished(spawnRanks(2, args, dir)), runLoom(args, { sessionDir, cwd: dir, text: true })]);
    expect([ranked.code, ranked.stderr, alone.code, alone.stderr]).toEqual([0, '', 0, '']);
    expect(alone.stdout).toMatch(/^.{30}\n$/s);
    expect(ranked.stdout).toBe(alone.stdout);
  });
});
