import { describe, expect, it } from 'vitest';
import {
  avgPool2d,
  backward,
  cat,
  conv2d,
  dropout,
  embedding,
  gather,
  Generator,
  gradcheck,
  indexSelect,
  layerNorm,
  maxPool2d,
  mul,
  randn,
  RowSparseTensor,
  stack,
  sum,
  tensor,
  type Tensor,
  transpose,
} from '../src/index.js';

let seed = 1;
/** A float64 leaf of standard normal values that requires grad. */
function leaf(shape: number[]): Tensor {
  return randn(shape, { dtype: 'float64', requiresGrad: true, generator: new Generator(seed++) });
}

function ids(values: number[], shape = [values.length]): Tensor {
  return tensor(Int32Array.from(values), { shape });
}

describe('cat and stack', () => {
  it.each([0, 1, -1])('cat along dim %i', (dim) => {
    const shapes =
      dim === 0
        ? [
            [1, 3],
            [2, 3],
            [3, 3],
          ]
        : [
            [2, 1],
            [2, 3],
            [2, 2],
          ];
    const inputs = shapes.map(leaf);
    expect(gradcheck((a, b, c) => cat([a!, b!, c!], dim), inputs)).toBe(true);
  });

  it('cat of a transposed (non-contiguous) tensor', () => {
    expect(gradcheck((a, b) => cat([transpose(a!, 0, 1), b!], 1), [leaf([3, 2]), leaf([2, 4])])).toBe(true);
  });

  it('cat gives the values in order', () => {
    const out = cat(
      [
        tensor([[1, 2]]),
        tensor([
          [3, 4],
          [5, 6],
        ]),
      ],
      0,
    );
    expect(out.tolist()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(
      cat(
        [
          tensor([[1], [2]]),
          tensor([
            [3, 4],
            [5, 6],
          ]),
        ],
        -1,
      ).tolist(),
    ).toEqual([
      [1, 3, 4],
      [2, 5, 6],
    ]);
  });

  it.each([0, 1, -1])('stack along dim %i', (dim) => {
    expect(gradcheck((a, b) => stack([a!, b!], dim), [leaf([2, 3]), leaf([2, 3])])).toBe(true);
  });

  it('stack puts the new dim where asked', () => {
    expect(stack([tensor([1, 2]), tensor([3, 4])], -1).tolist()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(stack([tensor([[1, 2, 3]]), tensor([[4, 5, 6]])], 1).shape).toEqual([1, 2, 3]);
  });
});

describe('gather and indexSelect', () => {
  it('gather along dim 1 with repeated indices', () => {
    const index = ids([0, 2, 2, 1, 1, 1], [2, 3]);
    expect(gradcheck((x) => gather(x!, 1, index), [leaf([2, 4])])).toBe(true);
  });

  it('gather along dim 0 with a smaller index and a negative dim', () => {
    const index = ids([2, 0, 1, 2], [2, 2]);
    expect(gradcheck((x) => gather(x!, -2, index), [leaf([3, 3])])).toBe(true);
    expect(
      tensor([
        [1, 2],
        [3, 4],
      ])
        .gather(1, ids([1, 1, 0, 1], [2, 2]))
        .tolist(),
    ).toEqual([
      [2, 2],
      [3, 4],
    ]);
  });

  it('indexSelect along dims 0 and 1 with duplicates', () => {
    expect(gradcheck((x) => indexSelect(x!, 0, ids([2, 0, 2])), [leaf([3, 2])])).toBe(true);
    expect(gradcheck((x) => indexSelect(transpose(x!, 0, 1), 1, ids([1, 1, 0])), [leaf([3, 2])])).toBe(true);
    expect(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ])
        .indexSelect(1, ids([2, 0]))
        .tolist(),
    ).toEqual([
      [3, 1],
      [6, 4],
    ]);
  });
});

describe('embedding', () => {
  const indices = ids([1, 3, 1, 0, 4, 3], [2, 3]);

  it('dense gradient', () => {
    expect(gradcheck((w) => embedding(indices, w!), [leaf([5, 2])])).toBe(true);
  });

  it('paddingIdx: the padding row is looked up but gets no gradient', () => {
    const weight = leaf([5, 2]);
    const out = embedding(indices, weight, { paddingIdx: 3 });
    expect(out.tolist()).toEqual(embedding(indices, weight).tolist());
    out.sum().backward();
    expect(weight.grad!.tolist()).toEqual([
      [1, 1],
      [2, 2],
      [0, 0],
      [0, 0],
      [1, 1],
    ]);
  });

  it('sparse gradient: one row per lookup, padding rows dropped, equal to the dense one', () => {
    const weight = leaf([5, 2]);
    const upstream = randn([2, 3, 2], { dtype: 'float64', generator: new Generator(99) });
    backward(sum(mul(embedding(indices, weight, { paddingIdx: -2, sparse: true }), upstream)));
    const sparse = weight.grad!;
    expect(sparse).toBeInstanceOf(RowSparseTensor);
    expect(Array.from((sparse as RowSparseTensor).indices)).toEqual([1, 1, 0, 4]);
    const dense = (sparse as RowSparseTensor).toDense();
    weight.grad = null;
    backward(sum(mul(embedding(indices, weight, { paddingIdx: 3 }), upstream)));
    expect(weight.grad!.isSparse).toBe(false);
    expect(Array.from(dense.toArray())).toEqual(Array.from(weight.grad!.toArray()));
  });

  it('sparse gradients of two lookups accumulate in the leaf', () => {
    const weight = leaf([4, 2]);
    backward(sum(embedding(ids([0, 2]), weight, { sparse: true })));
    backward(sum(embedding(ids([2, 3]), weight, { sparse: true })));
    expect((weight.grad as RowSparseTensor).toDense().tolist()).toEqual([
      [1, 1],
      [0, 0],
      [2, 2],
      [1, 1],
    ]);
  });
});

describe('conv2d', () => {
  it('stride 2, padding 1, dilation 2, with bias', () => {
    const opts = { stride: 2, padding: 1, dilation: 2 };
    expect(gradcheck((x, w, b) => conv2d(x!, w!, b!, opts), [leaf([2, 2, 6, 5]), leaf([3, 2, 2, 3]), leaf([3])])).toBe(true);
  });

  it('without bias, asymmetric stride and padding', () => {
    const opts = { stride: [1, 2] as [number, number], padding: [0, 1] as [number, number] };
    expect(gradcheck((x, w) => conv2d(x!, w!, null, opts), [leaf([1, 3, 4, 4]), leaf([2, 3, 3, 2])])).toBe(true);
  });

  it('unbatched and non-contiguous input', () => {
    expect(gradcheck((x, w) => conv2d(transpose(x!, 1, 2), w!, null, { padding: 1 }), [leaf([2, 4, 3]), leaf([2, 2, 3, 3])])).toBe(true);
  });

  it('matches a hand-computed convolution', () => {
    const x = tensor([
      [
        [
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9],
        ],
      ],
    ]);
    const w = tensor([
      [
        [
          [1, 0],
          [0, -1],
        ],
      ],
    ]);
    expect(conv2d(x, w, tensor([10])).tolist()).toEqual([
      [
        [
          [6, 6],
          [6, 6],
        ],
      ],
    ]);
    expect(conv2d(x, w, null, { padding: 1, stride: 2 }).tolist()).toEqual([
      [
        [
          [-1, -3],
          [-7, -4],
        ],
      ],
    ]);
  });
});

describe('pooling', () => {
  it('maxPool2d with and without padding', () => {
    expect(gradcheck((x) => maxPool2d(x!, { kernelSize: 2 }), [leaf([2, 2, 4, 4])])).toBe(true);
    expect(gradcheck((x) => maxPool2d(x!, { kernelSize: 3, stride: 2, padding: 1 }), [leaf([1, 2, 5, 5])])).toBe(true);
    expect(gradcheck((x) => maxPool2d(x!, { kernelSize: [2, 3], stride: 1, padding: [1, 1], ceilMode: true }), [leaf([2, 4, 3])])).toBe(
      true,
    );
  });

  it('maxPool2d sends the gradient of a tie to the first maximum', () => {
    const x = tensor(
      [
        [
          [
            [1, 3],
            [3, 3],
          ],
        ],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    maxPool2d(x, { kernelSize: 2 }).sum().backward();
    expect(x.grad!.tolist()).toEqual([
      [
        [
          [0, 1],
          [0, 0],
        ],
      ],
    ]);
  });

  it.each([true, false])('avgPool2d with padding, countIncludePad=%s', (countIncludePad) => {
    const opts = { kernelSize: 3, stride: 2, padding: 1, countIncludePad };
    expect(gradcheck((x) => avgPool2d(x!, opts), [leaf([2, 2, 5, 4])])).toBe(true);
    expect(gradcheck((x) => avgPool2d(x!, { ...opts, ceilMode: true }), [leaf([2, 4, 4])])).toBe(true);
  });

  it('avgPool2d divisor at a padded corner', () => {
    const x = tensor([
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    expect(avgPool2d(x, { kernelSize: 2, padding: 1 }).tolist()).toEqual([
      [
        [0.25, 0.5],
        [0.75, 1],
      ],
    ]);
    expect(avgPool2d(x, { kernelSize: 2, padding: 1, countIncludePad: false }).tolist()).toEqual([
      [
        [1, 2],
        [3, 4],
      ],
    ]);
  });
});

describe('layerNorm', () => {
  it('with affine weight and bias', () => {
    expect(gradcheck((x, w, b) => layerNorm(x!, [4], w!, b!), [leaf([3, 4]), leaf([4]), leaf([4])])).toBe(true);
  });

  it('without affine over two dims', () => {
    expect(gradcheck((x) => layerNorm(x!, [2, 3]), [leaf([2, 2, 3])])).toBe(true);
  });

  it('weight only and bias only', () => {
    expect(gradcheck((x, w) => layerNorm(x!, [3], w!), [leaf([2, 3]), leaf([3])])).toBe(true);
    expect(gradcheck((x, b) => layerNorm(x!, [3], null, b!), [leaf([2, 3]), leaf([3])])).toBe(true);
  });
});

describe('dropout', () => {
  it('gradient through a mask fixed by the seed', () => {
    expect(gradcheck((x) => dropout(x!, 0.3, true, new Generator(7)), [leaf([4, 5])])).toBe(true);
  });

  it('zeroes or scales by 1/(1-p), reproducibly', () => {
    const x = tensor(new Float64Array(1000).fill(1));
    const a = dropout(x, 0.25, true, new Generator(3)).toArray();
    const b = dropout(x, 0.25, true, new Generator(3)).toArray();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(a.every((v) => v === 0 || v === 1 / 0.75)).toBe(true);
    const dropped = a.filter((v) => v === 0).length;
    expect(dropped).toBeGreaterThan(180);
    expect(dropped).toBeLessThan(320);
  });

  it('p=0 or eval returns the input; p=1 gives zeros', () => {
    const x = leaf([3]);
    expect(dropout(x, 0)).toBe(x);
    expect(dropout(x, 0.5, false)).toBe(x);
    const y = dropout(x, 1);
    expect(Array.from(y.toArray())).toEqual([0, 0, 0]);
    y.sum().backward();
    expect(Array.from(x.grad!.toArray())).toEqual([0, 0, 0]);
  });
});

describe('maxPool2d 2×2 fast path', () => {
  it('gives the general loop’s values and positions, NaNs and ties included, on strided planes too', () => {
    const base = randn([2, 3, 7, 9], { dtype: 'float64' });
    const d = base.data();
    d[0] = d[1] = 5; // a tie: the first one wins
    d[20] = NaN;
    d[21] = NaN; // two NaNs in one window: the later one is the position, as PyTorch's CPU loop
    const views = [base, base.narrow(3, 1, 8), base.transpose(2, 3).contiguous().transpose(2, 3)];
    for (const x of views) {
      const fast = maxPool2d(x, { kernelSize: 2 });
      // kernelSize [2, 2] with stride [2, 2] through an explicitly strided view takes the general loop.
      const general = maxPool2d(x.transpose(2, 3), { kernelSize: 2 }).transpose(2, 3);
      expect(Array.from(fast.toArray())).toEqual(Array.from(general.toArray()));
    }
    const x = base.clone().requiresGrad_();
    maxPool2d(x, { kernelSize: 2 }).sum().backward();
    const g = x.grad!.toArray();
    expect([g[0], g[1], g[20], g[21]]).toEqual([1, 0, 0, 1]);
  });
});
