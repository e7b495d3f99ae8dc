import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arange, stack, tensor, type Tensor } from '@loom/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ArrowDataset,
  DataLoader,
  type Dataset,
  datasetFromArrays,
  defaultCollate,
  loadMnist,
  mnistCachePath,
  randomSplit,
  Subset,
  TensorDataset,
} from '../src/index.js';

/** x[i] = [i, 10 + i], y[i] = i % 3. */
function numbered(n: number): TensorDataset {
  const x = arange(2 * n)
    .reshape(n, 2)
    .contiguous();
  x.data().forEach((_, k) => (x.data()[k] = k % 2 === 0 ? k / 2 : 10 + (k - 1) / 2));
  return new TensorDataset(x, tensor(Int32Array.from({ length: n }, (_, i) => i % 3)));
}

/** The first feature of every row of every batch: the sample indices, in visiting order. */
function visits(loader: DataLoader<Tensor[], Tensor[]>): number[][] {
  return Array.from(loader, ([x]) => Array.from(x!.select(1, 0).toArray()));
}

describe('TensorDataset', () => {
  it('gives row i of every tensor as views, and refuses mismatched first dims', () => {
    const ds = numbered(5);
    expect(ds.length).toBe(5);
    const [x, y] = ds.get(3);
    expect([x!.tolist(), y!.item()]).toEqual([[3, 13], 0]);
    expect(x!.storage).toBe(ds.tensors[0]!.storage);
    expect(() => ds.get(5)).toThrow(/index 5 is out of range for a dataset of 5 samples/);
    expect(() => new TensorDataset(arange(3), arange(4))).toThrow(/size mismatch between tensors \(shapes \[3\], \[4\]\)/);
  });
});

describe('DataLoader', () => {
  it('cuts the samples in order into batches; dropLast leaves out the short one', () => {
    const loader = new DataLoader(numbered(7), { batchSize: 3 });
    expect(loader.length).toBe(3);
    expect(visits(loader)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    const dropped = new DataLoader(numbered(7), { batchSize: 3, dropLast: true });
    expect(dropped.length).toBe(2);
    expect(visits(dropped)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });

  it('batches tensors [B, ...] with the targets of the same rows', () => {
    for (const [x, y] of new DataLoader(numbered(6), { batchSize: 4 })) {
      const rows = Array.from(x!.select(1, 0).toArray());
      expect(x!.shape).toEqual([rows.length, 2]);
      expect(y!.tolist()).toEqual(rows.map((i) => i % 3));
      expect(Array.from(x!.select(1, 1).toArray())).toEqual(rows.map((i) => 10 + i));
    }
  });

  it('shuffles each epoch anew, visiting every sample once, the same for the same seed', () => {
    const a = new DataLoader(numbered(20), { batchSize: 8, shuffle: true, seed: 3 });
    const b = new DataLoader(numbered(20), { batchSize: 8, shuffle: true, seed: 3 });
    const epoch0 = visits(a);
    const epoch1 = visits(a);
    expect(epoch0.flat().sort((p, q) => p - q)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(epoch1.flat()).not.toEqual(epoch0.flat());
    expect(visits(b)).toEqual(epoch0);
    b.setEpoch(0);
    expect(visits(b)).toEqual(epoch0);
    expect(visits(new DataLoader(numbered(20), { batchSize: 8, shuffle: true, seed: 4 })).flat()).not.toEqual(epoch0.flat());
  });

  it('a batch lives for one iteration step: its memory is released when the loop moves on', () => {
    const loader = new DataLoader(numbered(6), { batchSize: 2 });
    let previous: Tensor | null = null;
    for (const [x] of loader) {
      if (previous) expect(() => previous!.toArray()).toThrow(/disposed/);
      expect(x!.toArray().length).toBe(4);
      previous = x!;
    }
    // The last batch of a finished loop is released too.
    expect(() => previous!.toArray()).toThrow(/disposed/);
    // A loop left early keeps its batch, so one batch can be taken by destructuring.
    const [batch] = loader;
    expect(batch![0]!.tolist()).toEqual([
      [0, 10],
      [1, 11],
    ]);
    // The dataset itself is never released.
    expect(loader.dataset.get(0)[0]!.tolist()).toEqual([0, 10]);
  });

  it('for await gives the same batches as for … of', async () => {
    const loader = new DataLoader(numbered(5), { batchSize: 2, shuffle: true, seed: 9 });
    const sync = visits(loader);
    loader.setEpoch(0);
    const seen: number[][] = [];
    for await (const [x] of loader) seen.push(Array.from(x!.select(1, 0).toArray()));
    expect(seen).toEqual(sync);
  });

  it('collates any map-style dataset as default_collate: tensors stacked, numbers to tensors, objects by key', () => {
    const ds: Dataset<{ image: Tensor; label: number; weight: number }> = {
      length: 3,
      get: (i) => ({ image: tensor([i, -i]), label: i, weight: i / 2 }),
    };
    const [batch] = new DataLoader(ds, { batchSize: 3 }); // one batch, kept: the loop stopped there
    expect(batch!.image.tolist()).toEqual([
      [0, -0],
      [1, -1],
      [2, -2],
    ]);
    expect([batch!.label.dtype, batch!.label.tolist()]).toEqual(['int32', [0, 1, 2]]);
    expect([batch!.weight.dtype, batch!.weight.tolist()]).toEqual(['float32', [0, 0.5, 1]]);
    expect(() => defaultCollate([new Date()])).toThrow(/got Date \(pass a collate function\)/);
  });

  it('takes a collate function, and refuses unknown options naming the known ones', () => {
    const loader = new DataLoader(numbered(4), { batchSize: 2, collate: (samples) => samples.length });
    expect([...loader]).toEqual([2, 2]);
    expect(() => new DataLoader(numbered(4), { batch_size: 2 } as never)).toThrow(
      /unknown option 'batch_size' \(did you mean 'batchSize'\?\)/,
    );
    expect(() => new DataLoader(numbered(4), { batchSize: 0 })).toThrow(/batchSize should be a positive integer/);
  });
});

describe('Subset and randomSplit', () => {
  it('a Subset reads its parent at the given positions', () => {
    const sub = new Subset(numbered(5), [4, 0]);
    expect([sub.length, sub.get(0)[0]!.tolist(), sub.get(1)[0]!.tolist()]).toEqual([2, [4, 14], [0, 10]]);
    expect(() => new Subset(numbered(5), [5])).toThrow(/index 5 at position 0 is out of range/);
  });

  it('splits by counts or fractions into disjoint subsets covering the dataset, seeded', () => {
    const ds = numbered(10);
    const parts = randomSplit(ds, [0.33, 0.33, 0.34], 1);
    // PyTorch: floor(10 × f) = 3, 3, 3; the one row left goes to the first subset.
    expect(parts.map((p) => p.length)).toEqual([4, 3, 3]);
    expect([...parts.flatMap((p) => Array.from(p.indices))].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(randomSplit(ds, [0.33, 0.33, 0.34], 1).map((p) => Array.from(p.indices))).toEqual(parts.map((p) => Array.from(p.indices)));
    expect(randomSplit(ds, [7, 3]).map((p) => p.length)).toEqual([7, 3]);
    expect(() => randomSplit(ds, [7, 4])).toThrow(/must be non-negative counts summing to 10, or fractions summing to 1/);
  });
});

describe('ArrowDataset', () => {
  const table = datasetFromArrays({
    features: Float32Array.from({ length: 12 }, (_, i) => i),
    featureShape: [1, 2, 2],
    targets: Int32Array.from([2, 0, 1]),
  });
  const ds = new ArrowDataset(table);

  it('gives (features, target) per row with the table’s shapes', () => {
    const [x, y] = ds.get(1);
    expect([x.shape, x.tolist(), y.dtype, y.item()]).toEqual([
      [1, 2, 2],
      [
        [
          [4, 5],
          [6, 7],
        ],
      ],
      'int32',
      0,
    ]);
  });

  it('a DataLoader gathers whole batches that equal stacking the samples', () => {
    for (const [x, y] of new DataLoader(ds, { batchSize: 2, shuffle: true, seed: 5 })) {
      const rows = Array.from(x!.select(1, 0).select(1, 0).select(1, 0).toArray(), (v) => v / 4);
      expect(x!.tolist()).toEqual(stack(rows.map((r) => ds.get(r)[0])).tolist());
      expect(y!.tolist()).toEqual(rows.map((r) => ds.get(r)[1].item()));
    }
  });
});

describe('loadMnist', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loom-mnist-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('converts the built-in digits once, caches them as Arrow, and reads them as (image, label)', () => {
    const ds = loadMnist({ limit: 300, cacheDir: dir });
    expect(existsSync(mnistCachePath(dir))).toBe(true);
    expect(ds.length).toBe(300);
    const [image, label] = ds.get(0);
    expect(image.shape).toEqual([1, 28, 28]);
    expect(label.dtype).toBe('int32');
    const labels = new Set(Array.from({ length: 300 }, (_, i) => ds.get(i)[1].item()));
    expect([...labels].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Math.max(...image.toArray())).toBeLessThanOrEqual(1);
    expect(loadMnist({ cacheDir: dir }).length).toBe(10_000);
    expect(() => loadMnist({ limit: 0, cacheDir: dir })).toThrow(/limit must be a positive integer/);
  }, 300_000);
});
