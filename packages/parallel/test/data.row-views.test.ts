import { describe, expect, it } from 'vitest';
import { datasetFromArrays, gatherBatch } from '../src/index.js';
import { MAX_ROWS, MIN_ROW_FLOATS, rowViews } from '../src/data/row-views.js';

/** Rows whose every float says where it is (row r, column j → r * 1000 + j), and a NaN with a payload in row 1. */
function table(rows: number, width: number) {
  const features = new Float32Array(new SharedArrayBuffer(rows * width * 4));
  for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) features[r * width + j] = r * 1000 + j;
  new Uint32Array(features.buffer)[width + 3] = 0x7fc00abc; // a NaN with a payload: its bits must survive the copy
  return datasetFromArrays({ features, featureDim: width, targets: Int32Array.from({ length: rows }, (_, r) => r % 3) });
}

/** The rows as the hand-written copy gives them: each row's bits, in the order asked for. */
function expectedBits(ds: ReturnType<typeof table>, rows: number[]): number[] {
  const bits = new Uint32Array(ds.features.buffer);
  return rows.flatMap((r) => Array.from(bits.subarray(r * ds.featureDim, (r + 1) * ds.featureDim)));
}

describe('gathering rows through kept row views', () => {
  for (const width of [MIN_ROW_FLOATS - 1, MIN_ROW_FLOATS, 784]) {
    it(`copies each chosen row's bits, repeats included, at ${width} floats a row`, () => {
      const ds = table(6, width);
      const rows = [5, 1, 1, 0, 3];
      const batch = gatherBatch(ds, rows);
      expect(Array.from(new Uint32Array(batch.features.data().buffer, batch.features.data().byteOffset, rows.length * width))).toEqual(
        expectedBits(ds, rows),
      );
      expect(Array.from(batch.targets.toArray())).toEqual([2, 1, 1, 0, 0]);
    });
  }

  it('keeps one view per row read, and reuses it the next time', () => {
    const ds = table(4, MIN_ROW_FLOATS);
    gatherBatch(ds, [2, 0]);
    const views = rowViews(ds.features, ds.featureDim)!;
    expect(Array.from(views, (v) => v !== undefined)).toEqual([true, false, true, false]);
    const first = views[2];
    gatherBatch(ds, [2, 3]);
    expect(views[2]).toBe(first);
    expect(views[3]?.length).toBe(MIN_ROW_FLOATS);
  });

  it('reads the rows as they are now: a view aliases the data, it is no copy', () => {
    const ds = table(3, MIN_ROW_FLOATS);
    gatherBatch(ds, [1]);
    ds.features[MIN_ROW_FLOATS] = -7;
    expect(gatherBatch(ds, [1]).features.toArray()[0]).toBe(-7);
  });

  it('keeps no views for short rows or for more rows than MAX_ROWS', () => {
    expect(rowViews(new Float32Array(10 * (MIN_ROW_FLOATS - 1)), MIN_ROW_FLOATS - 1)).toBeNull();
    expect(rowViews(new Float32Array((MAX_ROWS + 1) * MIN_ROW_FLOATS), MIN_ROW_FLOATS)).toBeNull();
    expect(rowViews(new Float32Array(MAX_ROWS * MIN_ROW_FLOATS), MIN_ROW_FLOATS)).toHaveLength(MAX_ROWS);
  });
});
