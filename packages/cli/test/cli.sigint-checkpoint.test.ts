import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadSafetensorsFile } from '@loom/core';
import { describe, expect, inject, it } from 'vitest';
import { type LoomEvent, eventsOf, finished, freshDir, runLoom, spawnLoom } from './helpers.js';

const sessionDir = inject('sessionDir');
const mnist2k = inject('mnist2k');

describe('Ctrl-C (SIGINT) during training', () => {
  it('stops at a step boundary mid-epoch, writes a loadable checkpoint, and a resume from it is exact', async () => {
    const cwd = freshDir(sessionDir, 'sigint');
    const common = ['--data', mnist2k, '--batch-size', '32', '--micro-batch', '16'];
    const child = spawnLoom(['train', ...common, '--epochs', '50', '--out', 'run'], { sessionDir, cwd });
    const done = finished(child);
    // Interrupt a few steps into the second epoch, so the checkpoint falls mid-epoch.
    let stepsAfterEpoch = -1;
    for await (const line of createInterface({ input: child.stdout! })) {
      const event = JSON.parse(line) as LoomEvent;
      if (event.event === 'epoch') stepsAfterEpoch = 0;
      else if (event.event === 'step' && stepsAfterEpoch >= 0 && ++stepsAfterEpoch === 3) {
        child.kill('SIGINT');
        break;
      }
    }
    child.stdout!.resume(); // closing the line reader paused it; the rest still has to drain
    const result = await done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(130);

    const [checkpoint] = eventsOf(result.stdout, 'checkpoint').filter((c) => c.reason === 'interrupt');
    const path = checkpoint!.path as string;
    expect(path).toMatch(/step-\d{6}\.safetensors$/);
    expect(eventsOf(result.stdout, 'done')[0]).toMatchObject({ status: 'interrupted', checkpoint: path });
    expect(JSON.parse(readFileSync(join(cwd, 'run', 'checkpoints', 'latest.json'), 'utf8'))).toMatchObject({ reason: 'interrupt' });

    // A complete safetensors file: the weights PyTorch would read, and the trainer state in its header.
    const { tensors, metadata } = await loadSafetensorsFile(path);
    expect(tensors['model.0.weight']!.shape).toEqual([256, 784]);
    expect(tensors['model.4.bias']!.shape).toEqual([10]);
    const state = JSON.parse(metadata['loom.trainer']!) as { epoch: number; step: number; batchInEpoch: number; seed: number };
    expect(state.epoch).toBeGreaterThanOrEqual(1);
    expect(state.batchInEpoch).toBeGreaterThan(0);
    expect(state.step).toBe(checkpoint!.step);

    const evaluated = await runLoom(['eval', '--run', 'run'], { sessionDir, cwd });
    expect(evaluated.code).toBe(0);
    expect(eventsOf(evaluated.stdout, 'eval')[0]!.accuracy as number).toBeGreaterThan(0.5);

    // Finishing the interrupted epoch from the checkpoint gives the bytes of an uninterrupted run.
    const epochs = String(state.epoch + 1);
    const [resumed, straight] = await Promise.all([
      runLoom(['train', '--resume', 'run', '--epochs', epochs], { sessionDir, cwd }),
      runLoom(['train', ...common, '--epochs', epochs, '--out', 'straight'], { sessionDir, cwd }),
    ]);
    expect([resumed.code, straight.code]).toEqual([0, 0]);
    expect(eventsOf(resumed.stdout, 'step')[0]).toMatchObject({ batch: state.batchInEpoch + 1, step: state.step + 1 });
    const file = `epoch-${epochs.padStart(4, '0')}.safetensors`;
    expect(readFileSync(join(cwd, 'run', 'checkpoints', file)).equals(readFileSync(join(cwd, 'straight', 'checkpoints', file)))).toBe(true);
  });
});
