import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadSafetensorsFile } from '@loom/core';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const examples = fileURLToPath(new URL('..', import.meta.url));
const workdir = mkdtempSync(join(tmpdir(), 'loom-examples-'));
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

/** Runs `node examples/<file>` as a reader would, and returns its stdout's last line as JSON. */
async function runExample(file: string, ...args: string[]): Promise<{ stdout: string; last: unknown }> {
  const { stdout } = await run(process.execPath, [join(examples, file), ...args], {
    env: { ...process.env, LOOM_CACHE_DIR: join(workdir, 'cache') },
    timeout: 110_000,
  });
  const lines = stdout.trim().split('\n');
  const lastLine = lines[lines.length - 1]!;
  return { stdout, last: lastLine.startsWith('{') ? JSON.parse(lastLine) : lastLine };
}

describe('examples', () => {
  it('custom-training-loop fits sin(3x) with core + losses + optim', async () => {
    const { last } = await runExample('custom-training-loop/train.mjs');
    const { finalLoss, prediction } = last as { finalLoss: number; prediction: number };
    expect(finalLoss).toBeLessThan(0.02);
    expect(Math.abs(prediction - Math.sin(1.5))).toBeLessThan(0.2);
  });

  it('data-parallel-custom-model trains its own model module on two workers', async () => {
    const { stdout, last } = await runExample('data-parallel-custom-model/train.mjs');
    expect(stdout).toMatch(/^epoch 8 /m);
    const { accuracy, samples } = last as { accuracy: number; samples: number };
    expect(samples).toBe(204);
    expect(accuracy).toBeGreaterThan(0.9);
  });

  it('csv-to-arrow-train converts the CSV and trains on it with the loom command', async () => {
    const { stdout } = await runExample('csv-to-arrow-train/run.mjs', workdir);
    expect(stdout).toMatch(/"rows":240/);
    const epochs = [...stdout.matchAll(/^epoch +(\d+) .*accuracy ([\d.]+)%$/gm)];
    expect(epochs.map((m) => Number(m[1]))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(Number(epochs[epochs.length - 1]![2])).toBeGreaterThan(80);
    expect(existsSync(join(workdir, 'runs', 'flowers'))).toBe(true);
  });

  it("mnist-cnn runs PyTorch's MNIST example on 600 digits and saves a state dict PyTorch's Net loads", async () => {
    const saved = join(workdir, 'mnist_cnn.safetensors');
    const { stdout, last } = await runExample('mnist-cnn/main.mjs', '--save-model', saved);
    expect(stdout).toMatch(/^Train Epoch: 1 \[0\/500 \(0%\)\]\tLoss: \d\.\d{6}$/m);
    expect(stdout).toMatch(/^Test set: Average loss: \d\.\d{4}, Accuracy: \d+\/100 \(\d+%\)$/m);
    const { accuracy, testLoss } = last as { accuracy: number; testLoss: number };
    // Eight Adadelta steps lift the test accuracy well above chance (0.1) and the loss below ln 10.
    expect(accuracy).toBeGreaterThan(0.3);
    expect(testLoss).toBeLessThan(Math.log(10));
    // The keys and shapes of PyTorch's Net().state_dict(), so load_state_dict accepts the file.
    const { tensors } = await loadSafetensorsFile(saved);
    expect(Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, [t.dtype, t.shape]]))).toEqual({
      'conv1.weight': ['float32', [32, 1, 3, 3]],
      'conv1.bias': ['float32', [32]],
      'conv2.weight': ['float32', [64, 32, 3, 3]],
      'conv2.bias': ['float32', [64]],
      'fc1.weight': ['float32', [128, 9216]],
      'fc1.bias': ['float32', [128]],
      'fc2.weight': ['float32', [10, 128]],
      'fc2.bias': ['float32', [10]],
    });
  }, 120_000);
});
