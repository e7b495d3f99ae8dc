import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Bool,
  Field,
  Float16,
  Float32,
  Int64,
  List,
  RecordBatchFileWriter,
  RecordBatchStreamWriter,
  Table,
  Uint8,
  tableFromArrays,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetFromArrays, datasetToArrowBytes, loadArrow, writeArrow, type TableDataset } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'loom-arrow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function expectSameData(actual: TableDataset, expected: TableDataset): void {
  expect(actual.length).toBe(expected.length);
  expect(actual.featureDim).toBe(expected.featureDim);
  expect(bytesOf(actual.features)).toEqual(bytesOf(expected.features));
  expect(actual.targets.constructor).toBe(expected.targets.constructor);
  expect(bytesOf(actual.targets)).toEqual(bytesOf(expected.targets));
  expect(actual.features.buffer).toBeInstanceOf(SharedArrayBuffer);
  expect(actual.targets.buffer).toBeInstanceOf(SharedArrayBuffer);
}

// Values chosen to catch lost bits: non-representable decimals, negatives, a subnormal, -0.
const features = Float32Array.from([0.1, -2.5, 3e-39, -0, 1e30, 7, 0.3, -0.7, 5, 6, 1 / 3, 2 / 3]);
const classes = datasetFromArrays({ features, featureShape: [2, 3], targets: Int32Array.from([2, 0]), numClasses: 4 });

describe('loadArrow(writeArrow(dataset)) gives back the same bytes', () => {
  for (const featureColumn of ['list', 'columns'] as const) {
    for (const format of ['file', 'stream'] as const) {
      it(`class targets, ${featureColumn} layout, IPC ${format}`, () => {
        const bytes = datasetToArrowBytes(classes, { featureColumn, format });
        const loaded = loadArrow(bytes, {
          features:
            featureColumn === 'list' ? 'features' : ['features_0', 'features_1', 'features_2', 'features_3', 'features_4', 'features_5'],
          target: 'label',
        });
        expectSameData(loaded, classes);
        expect(loaded.targetKind).toBe('class');
        expect(loaded.numClasses).toBe(4);
        expect(loaded.featureShape).toEqual(featureColumn === 'list' ? [2, 3] : [6]);
      });
    }
  }

  it('float target vectors (probabilities) through a file on disk, written atomically', () => {
    const probs = datasetFromArrays({
      features: Float32Array.from([1, 2, 3, 4]),
      featureDim: 1,
      featureNames: ['x'],
      targets: Float32Array.from([0.2, 0.8, 0.5, 0.5, 1, 0, 0.1, 0.9]),
      targetShape: [2],
    });
    const path = join(dir, 'probs.arrow');
    writeArrow(probs, path);
    expect(readdirSync(dir)).toEqual(['probs.arrow']);
    const loaded = loadArrow(path, { features: ['x'], target: 'target' });
    expectSameData(loaded, probs);
    expect(loaded.targetKind).toBe('regression');
    expect(loaded.targetShape).toEqual([2]);
    expect(loaded.featureNames).toEqual(['x']);
  });

  it('an explicit featureShape reshapes the rows', () => {
    const loaded = loadArrow(datasetToArrowBytes(classes, { featureColumn: 'list' }), {
      features: 'features',
      target: 'label',
      featureShape: [3, 2],
    });
    expect(loaded.featureShape).toEqual([3, 2]);
  });
});

describe('loadArrow reads what apache-arrow writes', () => {
  it('a Feather v2 file of mixed numeric columns (float64, uint8, float16, bool, int64 target)', () => {
    const table = new Table({
      a: vectorFromArray([0.5, -1.25, 3], new Float32()),
      b: vectorFromArray([255, 0, 7], new Uint8()),
      h: vectorFromArray([1.5, -2, 0.25], new Float16()),
      flag: vectorFromArray([true, false, true], new Bool()),
      y: vectorFromArray([3n, 0n, 1n], new Int64()),
    });
    const path = join(dir, 'mixed.feather');
    writeFileSync(path, RecordBatchFileWriter.writeAll(table).toUint8Array(true));
    const ds = loadArrow(path, { features: ['a', 'b', 'h', 'flag'], target: 'y' });
    expect(Array.from(ds.features)).toEqual([0.5, 255, 1.5, 1, -1.25, 0, -2, 0, 3, 7, 0.25, 1]);
    expect(ds.targets).toBeInstanceOf(Int32Array);
    expect(Array.from(ds.targets)).toEqual([3, 0, 1]);
    expect(ds.numClasses).toBe(4);
    expect(ds.featureShape).toEqual([4]);
  });

  it('a stream of several record batches keeps the rows in order', () => {
    const first = tableFromArrays({ x: Float64Array.from([1, 2]), t: Float64Array.from([0.5, 1.5]) });
    const second = tableFromArrays({ x: Float64Array.from([3]), t: Float64Array.from([2.5]) });
    const bytes = RecordBatchStreamWriter.writeAll([...first.batches, ...second.batches]).toUint8Array(true);
    expect(tableFromIPC(bytes).batches).toHaveLength(2);
    const ds = loadArrow(bytes, { features: 'x', target: 't' });
    expect(Array.from(ds.features)).toEqual([1, 2, 3]);
    expect(ds.targets).toBeInstanceOf(Float32Array);
    expect(Array.from(ds.targets)).toEqual([0.5, 1.5, 2.5]);
    expect(ds.targetKind).toBe('regression');
  });

  it('a variable-size List column whose rows all have the same length', () => {
    const table = new Table({
      pixels: vectorFromArray(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        new List(new Field('item', new Float32(), true)),
      ),
      label: vectorFromArray([1, 0], new Uint8()),
    });
    const ds = loadArrow(tableToIPC(table, 'file'), { features: 'pixels', target: 'label' });
    expect(ds.featureDim).toBe(3);
    expect(Array.from(ds.features)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(ds.targets)).toEqual([1, 0]);
  });

  it("targetKind 'regression' reads an integer column as float32", () => {
    const table = tableFromArrays({ x: Float32Array.from([1, 2]), y: Int32Array.from([5, -3]) });
    const ds = loadArrow(tableToIPC(table), { features: ['x'], target: 'y', targetKind: 'regression' });
    expect(ds.targets).toBeInstanceOf(Float32Array);
    expect(Array.from(ds.targets)).toEqual([5, -3]);
  });
});
