import { describe, expect, it } from 'vitest';
import { Tensor, env } from '../src/index.js';
import { maxPool2x2Js } from '../src/kernels/js/pooling.js';
import { maxPool2x2Wasm } from '../src/kernels/wasm/pooling.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

/**
 * Awkward values: ties (a few levels only), NaN, ±0 and ±Infinity among random ones, so that
 * "the first maximum, NaN counting as the maximum" is tested in every lane and in the tail.
 */
function awkward(next: () => number): number {
  const r = next();
  if (r < -0.9) return NaN;
  if (r < -0.8) return -0;
  if (r < -0.7) return 0;
  if (r < -0.65) return Infinity;
  if (r < -0.6) return -Infinity;
  if (r < 0) return Math.round(r * 3);
  return r;
}

function shared(dtype: 'float32' | 'int32', n: number, fill: () => number): Float32Array | Int32Array {
  const data = Tensor.empty([Math.max(n, 1)], dtype).data() as Float32Array | Int32Array;
  for (let i = 0; i < data.length; i++) data[i] = fill();
  return data;
}

/** As `Object.is`, so that NaN equals NaN and −0 differs from +0. */
function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

const wasmOn = env.kernels !== 'js';

describe.skipIf(!wasmOn)('maxPool2x2: WebAssembly matches the TypeScript reference bit for bit', () => {
  // [n, c, height, width]: widths with and without a tail of windows after the groups of four, odd sizes.
  for (const [n, c, h, w] of [
    [1, 1, 2, 2],
    [2, 3, 28, 28],
    [3, 2, 9, 19],
    [1, 4, 10, 16],
    [2, 1, 5, 7],
  ] as const) {
    it(`${n}×${c}×${h}×${w}, contiguous and with wider rows and planes`, () => {
      const next = lcg(h * 131 + w);
      const outH = h >> 1;
      const outW = w >> 1;
      const outputs = n * c * outH * outW;
      // Contiguous, then rows 3 wider, planes 5 longer and images 7 longer than they need be.
      for (const [sY, sC, sN] of [
        [w, h * w, c * h * w],
        [w + 3, (w + 3) * h + 5, ((w + 3) * h + 5) * c + 7],
      ] as const) {
        const X = shared('float32', n * sN + 4, () => awkward(next));
        const [wantY, gotY] = [shared('float32', outputs, () => 7), shared('float32', outputs, () => 8)];
        const [wantA, gotA] = [shared('int32', outputs, () => -7), shared('int32', outputs, () => -8)];
        const planes = { images: n, channels: c, imageStride: sN, channelStride: sC, strideY: sY, width: w, outH, outW };
        maxPool2x2Js(X, 4, planes, wantY, 0, wantA, 0);
        maxPool2x2Wasm(X, 4, planes, gotY, 0, gotA, 0);
        expect(same(gotY.subarray(0, outputs), wantY.subarray(0, outputs))).toBe(true);
        expect(Array.from(gotA.subarray(0, outputs))).toEqual(Array.from(wantA.subarray(0, outputs)));
        // The awkward values did reach the windows' maxima (the smallest case may miss them).
        if (outputs >= 8) expect(Array.from(wantY.subarray(0, outputs)).some((v) => Number.isNaN(v))).toBe(true);
      }
    });
  }

  it('refuses outputs overlapping the input', () => {
    const X = shared('float32', 64, () => 1) as Float32Array;
    const A = shared('int32', 16, () => 0);
    expect(() =>
      maxPool2x2Wasm(
        X,
        0,
        { images: 1, channels: 1, imageStride: 16, channelStride: 16, strideY: 4, width: 4, outH: 2, outW: 2 },
        X,
        4,
        A,
        0,
      ),
    ).toThrow(/maxPool2x2 kernel: the output, the positions and the input must not overlap/);
  });
});
