import type { TypedArray } from '../../dtype.js';

/** The [n, c] planes a 2×2 max pooling reads, and its windows (the fields of ops/pooling.ts's geometry). */
export interface PoolPlanes {
  /** Planes' first count (images) and second count (channels). */
  readonly images: number;
  readonly channels: number;
  /** Element strides between images, between channels, and between rows. */
  readonly imageStride: number;
  readonly channelStride: number;
  readonly strideY: number;
  /** The input's width (positions in `argmax` are within a plane of this width). */
  readonly width: number;
  /** Windows down (2·outH ≤ the input's height) and across (2·outW ≤ width). */
  readonly outH: number;
  readonly outW: number;
}

/**
 * 2×2 max pooling with stride 2 and no padding over [n, c] planes of unit x stride: each
 * window's maximum into `Y` and its first-max position (h·width + w within its plane) into
 * `argmax`, planes n-major. A later value replaces the best when it is greater or NaN, so NaN
 * counts as the maximum, as PyTorch's CPU kernel.
 * @param X - the input's elements; plane (i, j) starts at xOff + i·imageStride + j·channelStride
 * @param xOff - element offset of the first plane in X
 * @param p - the planes and windows, see {@link PoolPlanes}
 * @param Y - the maxima, images·channels·outH·outW from yOff
 * @param yOff - element offset in Y
 * @param argmax - int32 positions, as Y, from aOff
 * @param aOff - element offset in argmax
 */
export function maxPool2x2Js(
  X: TypedArray,
  xOff: number,
  p: PoolPlanes,
  Y: TypedArray,
  yOff: number,
  argmax: TypedArray,
  aOff: number,
): void {
  const { images: n, channels: c, imageStride: sN, channelStride: sC, strideY: sY, width, outH, outW } = p;
  let o = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < c; j++) {
      const base = xOff + i * sN + j * sC;
      for (let oy = 0; oy < outH; oy++) {
        const r0 = base + 2 * oy * sY;
        const r1 = r0 + sY;
        const p0 = 2 * oy * width;
        for (let ox = 0; ox < outW; ox++, o++) {
          const x = 2 * ox;
          let best = X[r0 + x]!;
          let at = p0 + x;
          let v = X[r0 + x + 1]!;
          if (v > best || v !== v) {
            best = v;
            at = p0 + x + 1;
          }
          v = X[r1 + x]!;
          if (v > best || v !== v) {
            best = v;
            at = p0 + width + x;
          }
          v = X[r1 + x + 1]!;
          if (v > best || v !== v) {
            best = v;
            at = p0 + width + x + 1;
          }
          Y[yOff + o] = best;
          argmax[aOff + o] = at;
        }
      }
    }
  }
}

/**
 * Max pooling's backward: `grad` zeroed, then each output's gradient `g[k]` added at its window's
 * first maximum, `argmax[k]` (a position h·W + w within its plane). Plane by plane, so that no
 * division finds each output's plane.
 */
export function maxPoolBackwardJs(g: TypedArray, argmax: TypedArray, perPlane: number, planeSize: number, grad: TypedArray): void {
  grad.fill(0);
  for (let k = 0, base = 0; k < argmax.length; base += planeSize) {
    for (const end = k + perPlane; k < end; k++) {
      const at = base + argmax[k]!;
      grad[at] = grad[at]! + g[k]!;
    }
  }
}
