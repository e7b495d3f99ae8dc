import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { describeKernels } from '@loom/core';
import { DataParallelTrainer } from '../dist/index.js';
import { syntheticClasses } from './fixtures/synthetic.js';

/** `describeKernels()` of a fresh process started with `env` added: the reference. */
function kernelsOfAProcess(env: Record<string, string>): string {
  const core = new URL('../../core/dist/index.js', import.meta.url).href;
  const code = `const L = await import(${JSON.stringify(core)}); process.stdout.write(L.describeKernels());`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', env: { ...process.env, ...env } });
}

/**
 * `fit` says what the worker threads' ops ran on, as the workers themselves describe it: they read
 * LOOM_BLAS from the environment they start with, which need not be this thread's now (apps/bench's
 * "LOOM_BLAS=off" system ran on the BLAS in every run it reported, because the threads start later
 * than it assumed).
 */
describe('DataParallelTrainer reports the kernels its workers ran', () => {
  const data = syntheticClasses(32, 8);
  const train = async (): Promise<string | null> => {
    const trainer = new DataParallelTrainer({
      model: { builtin: 'mlp', sizes: [8, 4, 4] },
      loss: { name: 'CrossEntropyLoss' },
      optimizer: { name: 'SGD', options: { lr: 0.1 } },
      workers: 2,
      batchSize: 16,
      microBatch: 8,
    });
    try {
      return (await trainer.fit(data, { epochs: 1 })).kernels;
    } finally {
      await trainer.close();
    }
  };

  it("as this thread's kernels when the workers start in this thread's environment", async () => {
    expect(await train()).toBe(describeKernels());
  });

  it('without a BLAS when the workers start under LOOM_BLAS=off, whatever this thread runs', async () => {
    const saved = process.env['LOOM_BLAS'];
    process.env['LOOM_BLAS'] = 'off';
    try {
      expect(await train()).toBe(kernelsOfAProcess({ LOOM_BLAS: 'off' }));
    } finally {
      if (saved === undefined) delete process.env['LOOM_BLAS'];
      else process.env['LOOM_BLAS'] = saved;
    }
  });
});
