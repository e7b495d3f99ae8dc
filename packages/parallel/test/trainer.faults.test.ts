import { describe, expect, it } from 'vitest';
import { describeKernels } from '@loom/core';
import { DataParallelTrainer, StepError, StepTimeoutError, type TrainerOptions } from '../dist/index.js';
import { stateHash, syntheticClasses } from './fixtures/synthetic.js';

const faulty = new URL('./fixtures/faulty-model.mjs', import.meta.url).href;
const data = syntheticClasses(64, 20);

function makeTrainer(model: TrainerOptions['model'], extra: Partial<TrainerOptions> = {}): DataParallelTrainer {
  return new DataParallelTrainer({
    model,
    loss: { name: 'CrossEntropyLoss' },
    optimizer: { name: 'SGD', options: { lr: 0.1 } },
    workers: 2,
    batchSize: 16,
    microBatch: 4,
    seed: 1,
    ...extra,
  });
}

describe.each(['persistent', 'tasks'] as const)('faults end training cleanly, never hang (%s dispatch)', (dispatch) => {
  const trainer = (model: TrainerOptions['model'], extra: Partial<TrainerOptions> = {}): DataParallelTrainer =>
    makeTrainer(model, { dispatch, ...extra });

  it("an error thrown in the model module says it is the model's, where (step, epoch, batch, worker, file:line), with the worker's stack as cause", async () => {
    // 2 workers × 2 chunks per step: worker 0's 4th forward is its second chunk of step 2.
    const t = trainer({ module: faulty, args: ['throw', 3] });
    const error = (await t.fit(data, { epochs: 1 }).then(
      () => null,
      (e: unknown) => e,
    )) as StepError;
    expect(error).toBeInstanceOf(StepError);
    expect(error.message).toMatch(
      /^the model's forward threw at step 2 \(epoch 1, batch 2\) in worker [01]: boom from the model module \(at .*faulty-model\.mjs:16:\d+\)$/,
    );
    expect(error.place).toEqual({ step: 2, epoch: 1, batch: 2 });
    expect((error.cause as Error).message).toBe('boom from the model module');
    expect((error.cause as Error).stack).toContain('faulty-model.mjs');
    await t.close();
  });

  it('a forward that never returns is ended by the step watchdog, naming the step and the stuck worker', async () => {
    const t = trainer({ module: faulty, args: ['loop', 4] }, { stepTimeout: 1500 });
    const steps: number[] = [];
    const error = (await t.fit(data, { epochs: 1, onStep: (s) => steps.push(s.step) }).then(
      () => null,
      (e: unknown) => e,
    )) as StepTimeoutError;
    expect(error).toBeInstanceOf(StepTimeoutError);
    expect(steps).toEqual([1, 2]);
    expect(error.message).toMatch(/^step 3 \(epoch 1, batch 3\) ran past the watchdog's 1\.5 s with workers? [01](, 1)? still computing/);
    expect(error.workers.length).toBeGreaterThan(0);
    await expect(t.fit(data, { epochs: 1 })).rejects.toThrow(/worker threads stopped/);
    await t.close();
  });

  it('a worker thread that dies rejects fit', async () => {
    const t = trainer({ module: faulty, args: ['exit', 3] });
    await expect(t.fit(data, { epochs: 1 })).rejects.toThrow();
    await t.close();
  });

  it('a missing model module is named in the error', async () => {
    const t = trainer({ module: './no-such-model.mjs' });
    await expect(t.fit(data, { epochs: 1 })).rejects.toThrow(/no-such-model\.mjs/);
    await t.close();
  });

  it('a NaN loss stops training with the step number (1-based, as the events count), parameters untouched by that step', async () => {
    // Each of the 2 workers runs 2 chunks per step, so its 5th forward is in the third step.
    const t = trainer({ module: faulty, args: ['nan', 4] });
    await expect(t.fit(data, { epochs: 1 })).rejects.toThrow(/loss is NaN at step 3 \(epoch 1, batch 3\);/);
    const stopped = stateHash(await t.stateDict());
    await t.close();

    const controller = new AbortController();
    const twoSteps = trainer({ module: faulty, args: ['nan', 4] });
    await twoSteps.fit(data, { epochs: 1, signal: controller.signal, onStep: (s) => s.step === 2 && controller.abort() });
    expect(stopped).toBe(stateHash(await twoSteps.stateDict()));
    await twoSteps.close();
  });

  it("onNonFinite: 'skip' skips NaN steps and goes on", async () => {
    const t = trainer({ module: faulty, args: ['nan', 4] }, { onNonFinite: 'skip' });
    const skipped: number[] = [];
    const result = await t.fit(data, { epochs: 1, onStep: (s) => s.skipped && skipped.push(s.step) });
    expect(result.stopped).toBe('done');
    expect(skipped).toEqual([3, 4]);
    await t.close();
  });

  it('an aborted signal stops at a step boundary with a savable state that resumes exactly', async () => {
    const straight = trainer({ builtin: 'mlp', sizes: [20, 8, 4] });
    await straight.fit(data, { epochs: 2 });
    const expected = stateHash(await straight.stateDict());
    await straight.close();

    const controller = new AbortController();
    const first = trainer({ builtin: 'mlp', sizes: [20, 8, 4] });
    const result = await first.fit(data, { epochs: 2, signal: controller.signal, onStep: (s) => s.step === 6 && controller.abort() });
    expect(result).toMatchObject({ stopped: 'aborted', epoch: 1, step: 6, kernels: describeKernels() });
    const saved = await first.stateDict();
    await first.close();

    const second = trainer({ builtin: 'mlp', sizes: [20, 8, 4] });
    await second.loadStateDict(saved);
    await second.fit(data, { epochs: 1 });
    expect(stateHash(await second.stateDict())).toBe(expected);
    await second.close();
  });
});
