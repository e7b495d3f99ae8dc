import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompressionType,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int32,
  Int64,
  List,
  RecordBatchFileWriter,
  Table,
  Utf8,
  compressionRegistry,
  tableFromArrays,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { loadArrow, readArrowSchema } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'loom-arrow-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const good = tableToIPC(
  new Table({
    a: vectorFromArray([1, 2, 3], new Float32()),
    name: vectorFromArray(['x', 'y', 'z'], new Utf8()),
    label: vectorFromArray([0, 1, 1], new Int32()),
  }),
);

describe('loadArrow refuses bad data with an error that says what is wrong', () => {
  it('a missing column, listing the available ones with their types', () => {
    expect(() => loadArrow(good, { features: ['a', 'b'], target: 'label' })).toThrow(
      "loadArrow: no column 'b' in the given bytes; available columns: a (Float32), name (Utf8), label (Int32)",
    );
    expect(() => loadArrow(good, { features: ['a'], target: 'y' })).toThrow(/no column 'y'.*available columns: a \(Float32\)/);
  });

  it('a non-numeric column, named with its type', () => {
    expect(() => loadArrow(good, { features: ['a', 'name'], target: 'label' })).toThrow(/loadArrow: column 'name' is Utf8, not numeric/);
    expect(() => loadArrow(good, { features: ['a'], target: 'name' })).toThrow(/column 'name' is Utf8, not numeric/);
  });

  it('nulls: which columns and how many, and a hint at { nulls: "drop" }', () => {
    const table = new Table({
      a: vectorFromArray([1, null, 3, null, 5], new Float32()),
      b: vectorFromArray([10, 20, 30, 40, 50], new Float64()),
      y: vectorFromArray([0, 1, null, 1, 0], new Int32()),
    });
    const bytes = tableToIPC(table);
    expect(() => loadArrow(bytes, { features: ['a', 'b'], target: 'y' })).toThrow(
      "loadArrow: column 'a' has 2 null rows, column 'y' has 1 null row (of 5); pass { nulls: 'drop' } to leave those rows out",
    );
    const ds = loadArrow(bytes, { features: ['a', 'b'], target: 'y', nulls: 'drop' });
    expect(ds.length).toBe(2);
    expect(Array.from(ds.features)).toEqual([1, 10, 5, 50]);
    expect(Array.from(ds.targets)).toEqual([0, 0]);
  });

  it('a null inside a list row makes the whole row null', () => {
    const item = new Field('item', new Float32(), true);
    const table = new Table({
      v: vectorFromArray([[1, 2], [3, null], null, [7, 8]], new FixedSizeList(2, item)),
      y: vectorFromArray([0.5, 1.5, 2.5, 3.5], new Float32()),
    });
    const bytes = tableToIPC(table);
    expect(() => loadArrow(bytes, { features: 'v', target: 'y' })).toThrow("column 'v' has 2 null rows (of 4)");
    const ds = loadArrow(bytes, { features: 'v', target: 'y', nulls: 'drop' });
    expect(Array.from(ds.features)).toEqual([1, 2, 7, 8]);
    expect(Array.from(ds.targets)).toEqual([0.5, 3.5]);
  });

  it('dropping every row is an error, not an empty dataset', () => {
    const bytes = tableToIPC(new Table({ a: vectorFromArray([null, null], new Float32()), y: vectorFromArray([1, 2], new Int32()) }));
    expect(() => loadArrow(bytes, { features: 'a', target: 'y', nulls: 'drop' })).toThrow(/every row .* holds a null/);
  });

  it('a List column of ragged rows, naming the rows that differ', () => {
    const table = new Table({
      v: vectorFromArray(
        [
          [1, 2],
          [3, 4],
          [5, 6, 7],
        ],
        new List(new Field('item', new Float32(), true)),
      ),
      y: vectorFromArray([0, 1, 0], new Int32()),
    });
    expect(() => loadArrow(tableToIPC(table), { features: 'v', target: 'y' })).toThrow(
      "loadArrow: column 'v' is a List whose rows differ in length: row 0 has 2 values, row 2 has 3; every row needs the same number of values",
    );
  });

  it('an empty table', () => {
    const empty = tableToIPC(tableFromArrays({ a: new Float32Array(0), y: new Int32Array(0) }));
    expect(() => loadArrow(empty, { features: 'a', target: 'y' })).toThrow('loadArrow: the given bytes has no rows');
  });

  it('a file that is not Arrow, an empty file and a truncated one', () => {
    const csv = join(dir, 'data.csv');
    writeFileSync(csv, 'a,label\n1,0\n2,1\n');
    expect(() => loadArrow(csv, { features: 'a', target: 'label' })).toThrow(`loadArrow: ${csv} is not an Arrow IPC file or stream`);
    expect(() => loadArrow(new Uint8Array(0), { features: 'a', target: 'label' })).toThrow(
      'the given bytes is not an Arrow IPC file or stream (it is empty)',
    );
    expect(() => loadArrow(new TextEncoder().encode('FEA1....'), { features: 'a', target: 'label' })).toThrow(/Feather v1/);
    expect(() => loadArrow(good.subarray(0, 40), { features: 'a', target: 'label' })).toThrow(
      /the given bytes is not a valid Arrow IPC file or stream \(the stream may be truncated\): /,
    );
    // An IPC file cut short (an interrupted copy): it lacks its closing marker, and the error says "truncated".
    const file = tableToIPC(tableFromArrays({ a: Float32Array.from([1, 2, 3]), label: Int32Array.from([0, 1, 1]) }), 'file');
    for (const cut of [file.length - 1, file.length - 20, 12]) {
      expect(() => loadArrow(file.subarray(0, cut), { features: 'a', target: 'label' })).toThrow(
        `loadArrow: the given bytes is truncated: an Arrow IPC file ends with the marker ARROW1 and these ${cut} bytes do not`,
      );
      expect(() => readArrowSchema(file.subarray(0, cut))).toThrow(/is truncated/);
    }
    expect(() => readArrowSchema(new Uint8Array(0))).toThrow(
      'readArrowSchema: the given bytes is not an Arrow IPC file or stream (it is empty)',
    );
    expect(readArrowSchema(file).fields.map((f) => f.name)).toEqual(['a', 'label']);
    expect(() => loadArrow(join(dir, 'missing.arrow'), { features: 'a', target: 'label' })).toThrow(/cannot read .*missing\.arrow/);
  });

  it('compressed record batches without a codec', () => {
    // A fake encoder (a zstd frame header, then the bytes) lets apache-arrow write a ZSTD-flagged
    // file; taking it away leaves the reader where a user with a pyarrow LZ4/ZSTD Feather file is.
    compressionRegistry.set(CompressionType.ZSTD, { encode: (bytes) => Uint8Array.of(40, 181, 47, 253, 0, 0, ...bytes) });
    const bytes = RecordBatchFileWriter.writeAll(tableFromArrays({ a: Float32Array.from([1]), y: Int32Array.from([0]) }), {
      compressionType: CompressionType.ZSTD,
    }).toUint8Array(true);
    compressionRegistry.set(CompressionType.ZSTD, {});
    expect(() => loadArrow(bytes, { features: 'a', target: 'y' })).toThrow(
      /the given bytes holds compressed \(LZ4 or ZSTD\) record batches and no codec is registered/,
    );
  });

  it('an int64 beyond ±(2^53 − 1), naming the column and row', () => {
    const table = new Table({
      a: vectorFromArray([1n, 2n, 2n ** 60n], new Int64()),
      y: vectorFromArray([0, 1, 0], new Int32()),
    });
    expect(() => loadArrow(tableToIPC(table), { features: 'a', target: 'y' })).toThrow(
      "loadArrow: column 'a' holds 1152921504606846976 at row 2, beyond ±(2^53 − 1)",
    );
  });

  it('class targets that are not int32 indices, and a featureShape of the wrong size', () => {
    const bytes = tableToIPC(tableFromArrays({ a: Float32Array.from([1, 2]), y: Float32Array.from([1, 0.5]) }));
    expect(() => loadArrow(bytes, { features: 'a', target: 'y', targetKind: 'class' })).toThrow(
      "loadArrow: target column 'y' holds 0.5 at row 1, not an int32 class index",
    );
    expect(() => loadArrow(bytes, { features: 'a', target: 'y', featureShape: [2] })).toThrow(
      'loadArrow: featureShape [2] holds 2 values but each row has 1',
    );
    expect(() => loadArrow(bytes, { features: ['a'], target: 'a' })).toThrow("column 'a' is both a feature and the target");
  });

  it('NaN and ±Infinity in features or regression targets, naming the column and the row', () => {
    const bytes = (a: number[], y: number[]): Uint8Array =>
      tableToIPC(tableFromArrays({ a: Float64Array.from([1, 2, 3]), b: Float64Array.from(a), y: Float64Array.from(y) }));
    expect(() => loadArrow(bytes([0, Number.NaN, 1], [0, 0, 0]), { features: ['a', 'b'], target: 'y' })).toThrow(
      "loadArrow: column 'b' holds NaN at row 1 of the given bytes; every value must be finite",
    );
    expect(() => loadArrow(bytes([0, 1, -Infinity], [0, 0, 0]), { features: ['a', 'b'], target: 'y' })).toThrow(
      "column 'b' holds -Infinity (or a value too large for float32) at row 2",
    );
    // 1e39 does not fit float32: it would become Infinity on the way in.
    expect(() => loadArrow(bytes([0, 1e39, 1], [0, 0, 0]), { features: ['a', 'b'], target: 'y' })).toThrow(
      /column 'b' holds Infinity .* at row 1/,
    );
    expect(() => loadArrow(bytes([0, 1, 2], [0, Infinity, 0]), { features: ['a', 'b'], target: 'y' })).toThrow(
      /column 'y' holds Infinity .* at row 1/,
    );
    const list = new Table({
      pixels: vectorFromArray(
        [
          [0, 1],
          [2, Number.NaN],
        ],
        new FixedSizeList(2, new Field('item', new Float32())),
      ),
      label: vectorFromArray([0, 1], new Int32()),
    });
    expect(() => loadArrow(tableToIPC(list), { features: 'pixels', target: 'label' })).toThrow(
      "column 'pixels' holds NaN at row 1 (element 1 of the row's 2) of the given bytes",
    );
  });
});
