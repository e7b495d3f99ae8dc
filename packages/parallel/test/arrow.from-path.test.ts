import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetFromArrays, datasetToArrowBytes, loadArrow, readArrowSchema, writeArrow } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'loom-arrow-path-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = 7;
const dataset = datasetFromArrays({
  features: Float32Array.from({ length: rows * 6 }, (_, i) => (i % 5) - 0.1 * i),
  featureShape: [2, 3],
  targets: Int32Array.from({ length: rows }, (_, i) => i % 3),
});
const columns = Array.from({ length: 6 }, (_, i) => `features_${i}`);
const bytesOf = (view: ArrayBufferView): Uint8Array => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

describe('loadArrow from a path reads the file once, into shared memory', () => {
  for (const format of ['file', 'stream'] as const) {
    it(`keeps a float32 list column where it lies in the file's bytes (IPC ${format})`, () => {
      const path = join(dir, `list.${format}.arrow`);
      writeArrow(dataset, path, { format });
      const loaded = loadArrow(path, { features: 'features', target: 'label' });
      // The same values as from the bytes (which are copied: a caller may reuse its bytes) …
      const copied = loadArrow(readFileSync(path), { features: 'features', target: 'label' });
      expect(bytesOf(loaded.features)).toEqual(bytesOf(copied.features));
      expect(bytesOf(loaded.targets)).toEqual(bytesOf(copied.targets));
      expect(loaded.featureShape).toEqual([2, 3]);
      // … but the features are a view of the whole file read into a SharedArrayBuffer, not a copy.
      expect(loaded.features.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(loaded.features.buffer.byteLength).toBe(statSync(path).size);
      expect(copied.features.buffer.byteLength).toBe(rows * 6 * 4);
      // Two loads of one file share nothing.
      const again = loadArrow(path, { features: 'features', target: 'label' });
      again.features[0] = 42;
      expect(loaded.features[0]).toBe(copied.features[0]);
    });
  }

  it('copies features spread over several columns, as before', () => {
    const path = join(dir, 'columns.arrow');
    writeArrow(dataset, path, { featureColumn: 'columns' });
    const loaded = loadArrow(path, { features: columns, target: 'label' });
    expect(bytesOf(loaded.features)).toEqual(bytesOf(dataset.features));
    expect(loaded.features.buffer.byteLength).toBe(rows * 6 * 4);
  });
});

describe('readArrowSchema of a path reads only the schema', () => {
  for (const format of ['file', 'stream'] as const) {
    it(`gives the same schema as the whole bytes (IPC ${format})`, () => {
      const path = join(dir, `schema.${format}.arrow`);
      writeArrow(dataset, path, { format, featureColumn: 'columns' });
      const fromPath = readArrowSchema(path);
      const fromBytes = readArrowSchema(readFileSync(path));
      expect(fromPath.fields.map((f) => [f.name, String(f.type), [...f.metadata]])).toEqual(
        fromBytes.fields.map((f) => [f.name, String(f.type), [...f.metadata]]),
      );
      expect(fromPath.fields.map((f) => f.name)).toEqual([...columns, 'label']);
    });
  }

  it('refuses an empty, a foreign and a truncated file, naming it', () => {
    const empty = join(dir, 'empty.arrow');
    writeFileSync(empty, '');
    expect(() => readArrowSchema(empty)).toThrow(`readArrowSchema: ${empty} is not an Arrow IPC file or stream (it is empty)`);
    const csv = join(dir, 'data.csv');
    writeFileSync(csv, 'a,label\n1,0\n');
    expect(() => readArrowSchema(csv)).toThrow(`readArrowSchema: ${csv} is not an Arrow IPC file or stream`);
    const whole = datasetToArrowBytes(dataset, { format: 'file' });
    for (const cut of [whole.length - 1, whole.length - 30, 12, 7]) {
      const cutPath = join(dir, `cut-${cut}.arrow`);
      writeFileSync(cutPath, whole.subarray(0, cut));
      expect(() => readArrowSchema(cutPath)).toThrow(`readArrowSchema: ${cutPath} is truncated`);
    }
    expect(() => readArrowSchema(join(dir, 'missing.arrow'))).toThrow(/readArrowSchema: cannot read .*missing\.arrow/);
  });
});
