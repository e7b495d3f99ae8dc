import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { eventsOf, finished, freshDir, runLoom, spawnLoom } from './helpers.js';

const sessionDir = inject('sessionDir');
const mnist2k = inject('mnist2k');
const models = fileURLToPath(new URL('./fixtures/models.mjs', import.meta.url));

/** Resolves on the first chunk of stdout that holds `text`. */
function seen(stream: NodeJS.ReadableStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString();
      if (buffer.includes(text)) {
        stream.off('data', onData);
        resolve();
      }
    };
    stream.on('data', onData);
  });
}

describe('signals, a closed stdout and the watchdog', () => {
  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`${signal} (what Slurm, Kubernetes and systemd send) writes a checkpoint at the next step and exits ${code}`, async () => {
      const cwd = freshDir(sessionDir, signal);
      const child = spawnLoom(['train', '--data', mnist2k, '--epochs', '50', '--workers', '1', '--out', 'run'], { sessionDir, cwd });
      const done = finished(child);
      await seen(child.stdout!, '"event":"step"');
      child.kill(signal);
      const result = await done;
      expect(result.code).toBe(code);
      const [checkpoint] = eventsOf(result.stdout, 'checkpoint').filter((c) => c.reason === 'interrupt');
      expect(eventsOf(result.stdout, 'done')[0]).toMatchObject({ status: 'interrupted', stoppedBy: signal, checkpoint: checkpoint!.path });
      expect(JSON.parse(readFileSync(join(cwd, 'run', 'checkpoints', 'latest.json'), 'utf8'))).toMatchObject({ reason: 'interrupt' });
    });
  }

  it('a reader that closes stdout (| head) stops the run like Ctrl-C, quietly: a checkpoint, exit 141, and the run resumes', async () => {
    const cwd = freshDir(sessionDir, 'epipe');
    const child = spawnLoom(['train', '--data', mnist2k, '--epochs', '50', '--workers', '1', '--out', 'run'], {
      sessionDir,
      cwd,
      text: true,
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    await seen(child.stdout!, 'loom train');
    child.stdout!.destroy();
    expect(await exited).toBe(141);
    expect(stderr).toBe('');
    const pointer = JSON.parse(readFileSync(join(cwd, 'run', 'checkpoints', 'latest.json'), 'utf8')) as {
      reason: string;
      step: number;
      epoch: number;
    };
    expect(pointer.reason).toBe('interrupt');
    const resumed = await runLoom(['train', '--resume', 'run', '--epochs', String(pointer.epoch + 1)], { sessionDir, cwd });
    expect(resumed.code).toBe(0);
    expect(eventsOf(resumed.stdout, 'step')[0]!.step).toBe(pointer.step + 1);
  });

  it('a forward that never returns: the watchdog ends the run with exit 1 naming the step and the worker', async () => {
    const cwd = freshDir(sessionDir, 'watchdog');
    const result = await runLoom(
      [
        'train',
        '--data',
        mnist2k,
        '--batch-size',
        '100',
        '--micro-batch',
        '100',
        '--workers',
        '1',
        '--model',
        `${models}#createLoopingModel`,
        '--step-timeout',
        '2',
        '--out',
        'run',
      ],
      { sessionDir, cwd },
    );
    // One chunk per step: the model's third forward, in step 3, never returns.
    expect(result.stderr).toBe(
      "loom: step 3 (epoch 1, batch 3) ran past the watchdog's 2.0 s with worker 0 still computing its chunks; the worker threads were stopped (--step-timeout)\n",
    );
    expect(result.code).toBe(1);
    expect(existsSync(join(cwd, 'run'))).toBe(false);
  });

  it('Ctrl-C twice ends a run whose forward never returns, at once', async () => {
    const cwd = freshDir(sessionDir, 'hung');
    const child = spawnLoom(
      [
        'train',
        '--data',
        mnist2k,
        '--batch-size',
        '100',
        '--micro-batch',
        '100',
        '--workers',
        '1',
        '--model',
        `${models}#createLoopingModel`,
        '--out',
        'run',
      ],
      { sessionDir, cwd },
    );
    const done = finished(child);
    await seen(child.stdout!, '"step":2,');
    // The third step never ends: the first Ctrl-C waits for it, the second does not.
    child.kill('SIGINT');
    await seen(child.stdout!, 'stopping after this step');
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    expect(existsSync(join(cwd, 'run'))).toBe(false);
  });
});
