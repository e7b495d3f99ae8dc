import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { eventsOf, finished, freshDir, runLoom, spawnLoom } from './helpers.js';

const sessionDir = inject('sessionDir');
const mnist2k = inject('mnist2k');
const quick = ['--data', mnist2k, '--batch-size', '200', '--micro-batch', '100', '--workers', '1'];

function metrics(dir: string): { event: string; step?: number; epoch?: number }[] {
  return readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { event: string; step?: number; epoch?: number });
}

describe('checkpoints and resuming', () => {
  it('keeps the newest --keep-checkpoints and the best by validation loss', async () => {
    const cwd = freshDir(sessionDir, 'keep');
    // SGD with a huge rate: the validation loss is best early and then gets worse.
    const result = await runLoom(
      ['train', ...quick, '--epochs', '5', '--optimizer', 'SGD', '--lr', '0.5', '--keep-checkpoints', '2', '--out', 'run'],
      { sessionDir, cwd },
    );
    expect(result.code).toBe(0);
    const epochs = eventsOf(result.stdout, 'epoch');
    const best = epochs.reduce((a, b) => ((b.valLoss as number) < (a.valLoss as number) ? b : a));
    const expected = new Set([4, 5, best.epoch as number].map((e) => `epoch-${String(e).padStart(4, '0')}.safetensors`));
    expect(readdirSync(join(cwd, 'run', 'checkpoints')).sort()).toEqual([...expected, 'latest.json'].sort());
  });

  it('a killed run resumes: stray temporary files removed, metrics.jsonl cut back to the checkpoint with a resume event, no step twice', async () => {
    const cwd = freshDir(sessionDir, 'killed');
    const child = spawnLoom(['train', ...quick, '--epochs', '50', '--out', 'run'], { sessionDir, cwd });
    const done = finished(child);
    // Kill it (no checkpoint of its own) a few steps after its second epoch's checkpoint.
    await new Promise<void>((resolve) => {
      let text = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (/"event":"checkpoint"[^\n]*"epoch":2[\s\S]*"event":"step"[^\n]*\n[\s\S]*"event":"step"/.test(text)) resolve();
      });
    });
    child.kill('SIGKILL');
    await done;
    const stray = join(cwd, 'run', 'checkpoints', '.epoch-0003.safetensors.12345.abc.tmp');
    writeFileSync(stray, 'half a checkpoint');
    const before = metrics(join(cwd, 'run'));
    expect(Math.max(...before.map((r) => r.step ?? 0))).toBeGreaterThan(18);

    const pointer = JSON.parse(readFileSync(join(cwd, 'run', 'checkpoints', 'latest.json'), 'utf8')) as { step: number; epoch: number };
    const epochs = pointer.epoch + 1;
    const resumed = await runLoom(['train', '--resume', 'run', '--epochs', String(epochs)], { sessionDir, cwd });
    expect(resumed.code).toBe(0);
    expect(readdirSync(join(cwd, 'run', 'checkpoints')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const after = metrics(join(cwd, 'run'));
    // 1,800 training rows in batches of 200: 9 steps per epoch.
    const steps = after.filter((r) => r.event === 'step').map((r) => r.step);
    expect(steps).toEqual(Array.from({ length: 9 * epochs }, (_, i) => i + 1));
    expect(after.filter((r) => r.event === 'epoch').map((r) => r.epoch)).toEqual(Array.from({ length: epochs }, (_, i) => i + 1));
    expect(after.find((r) => r.event === 'resume')).toMatchObject({ step: pointer.step, epoch: pointer.epoch });
  });

  it('refuses a checkpoint of another seed, naming the difference, and corrupt files with exit 2 naming them', async () => {
    const cwd = freshDir(sessionDir, 'refuse');
    const [a, b] = await Promise.all([
      runLoom(['train', ...quick, '--epochs', '1', '--out', 'a'], { sessionDir, cwd }),
      runLoom(['train', ...quick, '--epochs', '1', '--seed', '1', '--out', 'b'], { sessionDir, cwd }),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    // b's checkpoint dropped into a: its weights have the same shapes, but it belongs to another run.
    copyFileSync(join(cwd, 'b', 'checkpoints', 'epoch-0001.safetensors'), join(cwd, 'a', 'checkpoints', 'epoch-0001.safetensors'));
    const other = await runLoom(['train', '--resume', 'a', '--epochs', '2'], { sessionDir, cwd });
    expect(other.stderr).toMatch(
      /^loom: cannot resume from a\/checkpoints\/epoch-0001\.safetensors: it was saved with 'seed' 1, the run's config has 0\n$/,
    );
    expect(other.code).toBe(2);

    writeFileSync(
      join(cwd, 'b', 'checkpoints', 'epoch-0001.safetensors'),
      readFileSync(join(cwd, 'b', 'checkpoints', 'epoch-0001.safetensors')).subarray(0, 1000),
    );
    const truncated = await runLoom(['eval', '--run', 'b'], { sessionDir, cwd });
    expect(truncated.stderr).toMatch(
      /^loom: b\/checkpoints\/epoch-0001\.safetensors is not a readable checkpoint \(corrupt or truncated\?\): /,
    );
    writeFileSync(join(cwd, 'b', 'checkpoints', 'latest.json'), '{"file": "epoch-00');
    const pointer = await runLoom(['eval', '--run', 'b'], { sessionDir, cwd });
    expect(pointer.stderr).toMatch(/^loom: b\/checkpoints\/latest\.json is corrupt: /);
    writeFileSync(join(cwd, 'b', 'config.json'), '{ "model": ');
    const config = await runLoom(['train', '--resume', 'b'], { sessionDir, cwd });
    expect(config.stderr).toMatch(/^loom: b\/config\.json is corrupt: /);
    expect([truncated.code, pointer.code, config.code]).toEqual([2, 2, 2]);
  });
});
