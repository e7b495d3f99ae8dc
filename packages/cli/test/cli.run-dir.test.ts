import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { eventsOf, finished, freshDir, type LoomEvent, runLoom, spawnLoom } from './helpers.js';

const sessionDir = inject('sessionDir');
const mnist2k = inject('mnist2k');
const models = fileURLToPath(new URL('./fixtures/models.mjs', import.meta.url));
/** One quick epoch on the digits. */
const quick = ['--data', mnist2k, '--epochs', '1', '--batch-size', '200', '--micro-batch', '200', '--workers', '1'];

describe('run directories: checked before anything starts, locked while written, never lost', () => {
  it('refuses an --out under /proc or /sys, or that is a file, before the data is read (exit 2, at once)', async () => {
    const cwd = freshDir(sessionDir, 'out');
    writeFileSync(join(cwd, 'taken'), 'a file');
    // The data file does not exist either: --out is what is checked first.
    const cases: [string, RegExp][] = [
      ['/proc/x/run', /^loom: --out \/proc\/x\/run is under \/proc, a pseudo file system where runs cannot be written/],
      ['/sys/run', /^loom: --out \/sys\/run is under \/sys/],
      ['taken', /^loom: --out: taken is a file, not a directory\n$/],
      ['taken/run', /^loom: --out: .*taken is a file, so taken\/run cannot be created\n$/],
    ];
    for (const [out, message] of cases) {
      const result = await runLoom(['train', '--data', 'no-such.arrow', '--out', out], { sessionDir, cwd });
      expect(result.stderr, out).toMatch(message);
      expect(result.code, out).toBe(2);
    }
  });

  it('creates an --out whose parent folders do not exist yet (runs/2026/one), its lock beside it', async () => {
    const cwd = freshDir(sessionDir, 'nested');
    const result = await runLoom(['train', ...quick, '--out', 'runs/2026/one'], { sessionDir, cwd });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(existsSync(join(cwd, 'runs', '2026', 'one', 'checkpoints', 'epoch-0001.safetensors'))).toBe(true);
    expect(readdirSync(join(cwd, 'runs', '2026'))).toEqual(['one']);
  });

  it('--overwrite refuses a folder that is not a loom run, and keeps the old run until the new one has a checkpoint', async () => {
    const cwd = freshDir(sessionDir, 'overwrite');
    mkdirSync(join(cwd, 'mine'));
    writeFileSync(join(cwd, 'mine', 'notes.txt'), 'keep me');
    const refused = await runLoom(['train', ...quick, '--out', 'mine', '--overwrite'], { sessionDir, cwd });
    expect(refused.stderr).toBe(
      'loom: --overwrite refuses to replace mine: it holds notes.txt, which loom did not write; it is not a loom run (move it away, or choose another --out)\n',
    );
    expect(refused.code).toBe(2);
    expect(readFileSync(join(cwd, 'mine', 'notes.txt'), 'utf8')).toBe('keep me');
    const plain = await runLoom(['train', ...quick, '--out', 'mine'], { sessionDir, cwd });
    expect(plain.stderr).toBe(
      'loom: mine already exists and is not empty; pass --overwrite to replace it, or --resume to continue its run\n',
    );

    const first = await runLoom(['train', ...quick, '--out', 'run'], { sessionDir, cwd });
    expect(first.code).toBe(0);
    const before = readFileSync(join(cwd, 'run', 'checkpoints', 'epoch-0001.safetensors'));
    // The replacement fails in its third step (one chunk per step: the model's third forward throws), before its first checkpoint: the old run stays whole, nothing else is left.
    const failing = await runLoom(['train', ...quick, '--model', `${models}#createThrowingModel`, '--out', 'run', '--overwrite'], {
      sessionDir,
      cwd,
    });
    expect(failing.code).toBe(1);
    expect(readFileSync(join(cwd, 'run', 'checkpoints', 'epoch-0001.safetensors')).equals(before)).toBe(true);
    expect(JSON.parse(readFileSync(join(cwd, 'run', 'config.json'), 'utf8')).model).toBe('mlp');
    expect(readdirSync(cwd).sort()).toEqual(['mine', 'run']);

    const replaced = await runLoom(['train', ...quick, '--seed', '1', '--out', 'run', '--overwrite'], { sessionDir, cwd });
    expect(replaced.code).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, 'run', 'config.json'), 'utf8')).seed).toBe(1);
    expect(readdirSync(cwd).sort()).toEqual(['mine', 'run']);
  });

  it('a run that fails before its first checkpoint leaves nothing: the same command can run again', async () => {
    const cwd = freshDir(sessionDir, 'early-failure');
    const failing = await runLoom(['train', ...quick, '--model', `${models}#createThrowingModel`, '--out', 'run'], { sessionDir, cwd });
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(
      /^loom: the model's forward threw at step 3 \(epoch 1, batch 3\) in worker 0: the layer sizes do not add up \(at .*models\.mjs:26:\d+\)\n$/,
    );
    expect(readdirSync(cwd)).toEqual([]);
    const again = await runLoom(['train', ...quick, '--out', 'run'], { sessionDir, cwd });
    expect(again.code).toBe(0);
  });

  it("LOOM_DEBUG=1 prints the worker's stack of the model's error", async () => {
    const cwd = freshDir(sessionDir, 'debug');
    const result = await runLoom(['train', ...quick, '--model', `${models}#createThrowingModel`, '--out', 'run'], {
      sessionDir,
      cwd,
      env: { LOOM_DEBUG: '1' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/caused by: Error: the layer sizes do not add up\n\s+at Misbehaving\.forward \(.*models\.mjs:26:\d+\)/);
  });

  it('a second process on the same --out exits 2 naming the lock and the pid; a stale lock is taken over', async () => {
    const cwd = freshDir(sessionDir, 'lock');
    const child = spawnLoom(['train', '--data', mnist2k, '--epochs', '50', '--workers', '1', '--out', 'run'], { sessionDir, cwd });
    const done = finished(child);
    const firstStep = new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('"event":"step"') && resolve());
    });
    await firstStep;
    const second = await runLoom(['train', ...quick, '--out', 'run', '--overwrite'], { sessionDir, cwd });
    expect(second.stderr).toBe(
      `loom: run is in use by another loom process (pid ${child.pid} on ${JSON.parse(readFileSync(join(cwd, 'run.lock'), 'utf8')).host}, since ${JSON.parse(readFileSync(join(cwd, 'run.lock'), 'utf8')).started}; lock run.lock); wait for it to end, or choose another --out\n`,
    );
    expect(second.code).toBe(2);
    child.kill('SIGKILL');
    await done;
    // The killed process left its lock and its staging directory; the next run takes both over.
    expect(existsSync(join(cwd, 'run.lock'))).toBe(true);
    const after = await runLoom(['train', ...quick, '--out', 'run', '--overwrite'], { sessionDir, cwd });
    expect(after.code).toBe(0);
    expect(readdirSync(cwd).sort()).toEqual(['run']);
    expect(eventsOf(after.stdout, 'done')[0]).toMatchObject({ status: 'done' } satisfies Partial<LoomEvent>);
  });
});
