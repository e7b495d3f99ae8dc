import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeKernels, Linear, Module, Sequential } from '@loom/core';
import type { DataParallelTrainer, EpochInfo, StepInfo, TrainerOptions } from '../dist/index.js';
import { stateHash, syntheticClasses } from './fixtures/synthetic.js';
// @ts-expect-error: plain JavaScript fixtures, as a user's modules would be
import * as user from './fixtures/factory-trainer.mjs';
// @ts-expect-error: a plain JavaScript fixture
import * as onImport from './fixtures/trainer-on-import.mjs';

const fixture = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).href;
const trainerWith = user.trainerWith as (model: TrainerOptions['model'] | Module) => DataParallelTrainer;
const data = syntheticClasses(48, 20);

describe('DataParallelTrainer: the model as a factory of the calling module', () => {
  it('trains to the same bytes as the URL of the module that exports it; onStep and onEpoch count from 1', async () => {
    const byFactory = trainerWith(user.createTinyModel as () => Module);
    expect(byFactory.options.model).toEqual({ module: fixture('factory-trainer.mjs'), export: 'createTinyModel' });
    const steps: number[][] = [];
    const epochs: number[] = [];
    const result = await byFactory.fit(data, {
      epochs: 2,
      onStep: ({ epoch, step, batch, batches }: StepInfo) => void steps.push([epoch, step, batch, batches]),
      onEpoch: ({ epoch }: EpochInfo) => void epochs.push(epoch),
    });
    // 48 rows in batches of 16: 3 batches an epoch.
    expect(steps).toEqual([
      [1, 1, 1, 3],
      [1, 2, 2, 3],
      [1, 3, 3, 3],
      [2, 4, 1, 3],
      [2, 5, 2, 3],
      [2, 6, 3, 3],
    ]);
    expect(epochs).toEqual([1, 2]);
    expect(result).toMatchObject({ stopped: 'done', epoch: 2, step: 6, kernels: describeKernels() });

    const byUrl = trainerWith({ module: fixture('factory-trainer.mjs'), export: 'createTinyModel' });
    await byUrl.fit(data, { epochs: 2 });
    expect(stateHash(await byFactory.stateDict())).toBe(stateHash(await byUrl.stateDict()));
    const model = await byFactory.model();
    expect(String(model)).toBe(String(await byUrl.model()));
    await byFactory.close();
    await byUrl.close();
  });

  it("resolves a relative model module from the calling module's file, not the working directory", async () => {
    expect(process.cwd()).not.toMatch(/fixtures$/);
    const trainer = trainerWith({ module: './odd-models.mjs', export: 'createWithUnusedLayer' });
    expect(trainer.options.model).toEqual({ module: fixture('odd-models.mjs'), export: 'createWithUnusedLayer' });
    const result = await trainer.fit(data, { epochs: 1 });
    expect(result.step).toBe(3);
    await trainer.close();
  });

  it('refuses a factory the calling module does not export, saying what to do', async () => {
    function notExported(): Module {
      return new Sequential(new Linear(20, 8));
    }
    const trainer = trainerWith(notExported);
    const file = fileURLToPath(fixture('factory-trainer.mjs'));
    await expect(trainer.fit(data, { epochs: 1 })).rejects.toThrow(
      `the model factory notExported() is not exported by ${file}, the module that created the trainer (its exports: createTinyModel, trainerWith)`,
    );
    await trainer.close();
  });

  it('refuses a function of an exported name that builds another model', async () => {
    // Not the fixture's export of that name, which builds Linear(20, 8), ReLU, Linear(8, 4).
    function createTinyModel(): Module {
      return new Sequential(new Linear(20, 4));
    }
    const trainer = trainerWith(createTinyModel);
    await expect(trainer.fit(data, { epochs: 1 })).rejects.toThrow(
      /export 'createTinyModel' of .*factory-trainer\.mjs builds another model than the function passed/,
    );
    await trainer.close();
  });

  it('refuses an anonymous factory and a Module instance at construction, saying what to pass', () => {
    expect(() => trainerWith(() => new Linear(20, 4))).toThrow(/the model factory is anonymous; .*export function createModel/);
    expect(() => trainerWith(new Linear(20, 4))).toThrow(
      /not be one: every worker thread builds a replica of its own, and a Module cannot cross threads/,
    );
  });

  it('refuses a factory of the entry script, which the workers would run again', () => {
    const script = fileURLToPath(fixture('entry-factory.mjs'));
    const out = execFileSync(process.execPath, [script], { encoding: 'utf8' });
    expect(out).toContain(
      `the model factory createLinear() was passed from the entry script ${script}; the worker threads would import that script`,
    );
  });

  it('a module that creates a trainer when imported fails in the workers instead of starting trainers there', async () => {
    const trainer = onImport.trainer as DataParallelTrainer;
    await expect(trainer.fit(data, { epochs: 1 })).rejects.toThrow(/DataParallelTrainer: created in one of a trainer's worker threads/);
    await trainer.close();
  });
});
