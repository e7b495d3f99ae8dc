import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetFromArrays, datasetFromShared, datasetToShared, subset, type SharedDataset } from '../src/index.js';

// The worker runs the real src/data/cross-thread.ts, compiled on the spot (it imports only Node built-ins).
const dir = mkdtempSync(join(tmpdir(), 'loom-shared-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sharedSource = readFileSync(fileURLToPath(new URL('../src/data/cross-thread.ts', import.meta.url)), 'utf8');
const sharedModule = join(dir, 'shared.mjs');
writeFileSync(
  sharedModule,
  ts.transpileModule(sharedSource, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText,
);

const workerCode = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.module).then(({ datasetFromShared }) => {
  const ds = datasetFromShared(workerData.descriptor);
  let sum = 0;
  for (const v of ds.features) sum += v;
  for (let i = 0; i < ds.length; i++) ds.targets[i] = 100 + i;
  ds.features[0] = -1;
  parentPort.postMessage({ sum, length: ds.length, shape: ds.featureShape, shared: ds.features.buffer instanceof SharedArrayBuffer });
});
`;

function inWorker(descriptor: SharedDataset): Promise<{ sum: number; length: number; shape: number[]; shared: boolean }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerCode, { eval: true, workerData: { descriptor, module: pathToFileURL(sharedModule).href } });
    worker.once('message', (message) => {
      void worker.terminate();
      resolve(message);
    });
    worker.once('error', reject);
  });
}

describe('a dataset posted to a worker', () => {
  it('is read and written in place: the main thread sees the worker’s writes', async () => {
    const ds = datasetFromArrays({ features: [1, 2, 3, 4, 5, 6], featureShape: [3], targets: Int32Array.from([0, 1]) });
    const reply = await inWorker(datasetToShared(ds));
    expect(reply).toEqual({ sum: 21, length: 2, shape: [3], shared: true });
    expect(Array.from(ds.targets)).toEqual([100, 101]);
    expect(ds.features[0]).toBe(-1);
  });

  it('keeps byte offsets and the dataset id through a structured clone', () => {
    const buffer = new SharedArrayBuffer(6 * 4);
    new Float32Array(buffer).set([9, 9, 1, 2, 3, 4]);
    const ds = datasetFromArrays({ features: new Float32Array(buffer, 8, 4), featureDim: 2, targets: [0.5, 1.5] });
    const descriptor = datasetToShared(ds);
    const view = datasetFromShared(structuredClone(descriptor));
    expect(Array.from(view.features)).toEqual([1, 2, 3, 4]);
    expect(Array.from(view.targets)).toEqual([0.5, 1.5]);
    view.targets[1] = 7;
    expect(ds.targets[1]).toBe(7);
    expect(datasetToShared(view).id).toBe(descriptor.id);
    expect(datasetToShared(ds).id).toBe(descriptor.id);
    expect(datasetToShared(subset(ds, [0])).id).not.toBe(descriptor.id);
  });

  it('must be over shared memory', () => {
    const ds = { ...datasetFromArrays({ features: [1], featureDim: 1, targets: [0] }), features: new Float32Array(1) };
    expect(() => datasetToShared(ds)).toThrow(/not over SharedArrayBuffers/);
  });
});
