import { describe, expect, it } from 'vitest';
import { Tensor, env } from '../src/index.js';
import { type Im2colGeometry, col2imJs, im2colJs } from '../src/kernels/js/im2col.js';
import { col2imWasm, im2colWasm } from '../src/kernels/wasm/im2col.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

function shared(n: number, fill: () => number): Float32Array {
  const data = Tensor.empty([Math.max(n, 1)], 'float32').data() as Float32Array;
  for (let i = 0; i < data.length; i++) data[i] = fill();
  return data;
}

function geometry(
  channels: number,
  height: number,
  width: number,
  k: [number, number],
  stride: [number, number],
  pad: [number, number],
  dilation: [number, number],
): Im2colGeometry {
  const out = (size: number, i: 0 | 1) => Math.floor((size + 2 * pad[i] - dilation[i] * (k[i] - 1) - 1) / stride[i]) + 1;
  return {
    channels,
    height,
    width,
    kernelH: k[0],
    kernelW: k[1],
    strideH: stride[0],
    strideW: stride[1],
    padH: pad[0],
    padW: pad[1],
    dilationH: dilation[0],
    dilationW: dilation[1],
    outH: out(height, 0),
    outW: out(width, 1),
  };
}

const wasmOn = env.kernels !== 'js';
const geometries: Im2colGeometry[] = [
  geometry(1, 1, 1, [1, 1], [1, 1], [0, 0], [1, 1]),
  geometry(3, 5, 17, [3, 3], [1, 1], [1, 1], [1, 1]),
  geometry(2, 17, 5, [3, 2], [2, 1], [0, 1], [1, 1]),
  geometry(5, 9, 9, [2, 3], [2, 3], [1, 2], [2, 1]),
  geometry(1, 4, 255, [1, 5], [1, 1], [0, 4], [1, 3]),
  geometry(3, 3, 3, [3, 3], [1, 1], [3, 3], [1, 1]),
];

describe.skipIf(!wasmOn)('im2col / col2im: WebAssembly matches the TypeScript reference bit for bit', () => {
  it.each(
    geometries.map(
      (g) =>
        [
          `${g.channels}x${g.height}x${g.width} k${g.kernelH}${g.kernelW} s${g.strideH}${g.strideW} p${g.padH}${g.padW} d${g.dilationH}${g.dilationW}`,
          g,
        ] as const,
    ),
  )('%s, contiguous and channels-last images', (_name, g) => {
    const next = lcg(41);
    const { channels: C, height: H, width: W } = g;
    const cols = C * g.kernelH * g.kernelW * g.outH * g.outW;
    const image = shared(C * H * W + 3, next);
    for (const [sc, sy, sx] of [
      [H * W, W, 1],
      [1, W * C, C],
    ] as const) {
      const [want, got] = [shared(cols, () => 7), shared(cols, () => 8)];
      im2colJs(image, 3, sc, sy, sx, g, want, 0);
      im2colWasm(image, 3, sc, sy, sx, g, got, 0);
      expect(Array.from(got.subarray(0, cols))).toEqual(Array.from(want.subarray(0, cols)));
    }
    const columns = shared(cols, next);
    const base = shared(C * H * W, next);
    const [want, got] = [shared(C * H * W, () => 0), shared(C * H * W, () => 0)];
    want.set(base);
    got.set(base);
    col2imJs(columns, 0, g, want, 0);
    col2imWasm(columns, 0, g, got, 0);
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  it('refuses a column matrix overlapping the image', () => {
    const g = geometry(1, 4, 4, [2, 2], [1, 1], [0, 0], [1, 1]);
    const buf = shared(64, () => 1);
    expect(() => im2colWasm(buf, 0, 16, 4, 1, g, buf, 8)).toThrow(/im2col kernel: the column matrix overlaps the image/);
  });
});
