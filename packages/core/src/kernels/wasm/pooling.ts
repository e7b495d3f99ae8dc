import type { TypedArray } from '../../dtype.js';
import { maxPool2x2Js, type PoolPlanes } from '../js/pooling.js';
import { addressOf, wasmKernels } from './module.js';
import { overlaps } from './overlap.js';

/** `maxPool2x2Js` on the WebAssembly kernel (float32 input and output, int32 positions, in the kernels' memory). */
export function maxPool2x2Wasm(
  X: TypedArray,
  xOff: number,
  p: PoolPlanes,
  Y: TypedArray,
  yOff: number,
  argmax: TypedArray,
  aOff: number,
): void {
  const { images: n, channels: c, imageStride: sN, channelStride: sC, strideY: sY, width, outH, outW } = p;
  const k = n * c * outH * outW > 0 && sN >= 0 && sC >= 0 && sY >= 0 ? wasmKernels() : null;
  const px = k ? addressOf(k, X, xOff) : -1;
  const py = k ? addressOf(k, Y, yOff) : -1;
  const pa = k ? addressOf(k, argmax, aOff, true) : -1;
  if (!k || px < 0 || py < 0 || pa < 0) return maxPool2x2Js(X, xOff, p, Y, yOff, argmax, aOff);
  const xLast = px + ((n - 1) * sN + (c - 1) * sC + (2 * outH - 1) * sY + 2 * outW - 1) * 4 + 3;
  const bytes = n * c * outH * outW * 4;
  if (
    overlaps(py, py + bytes - 1, px, xLast) ||
    overlaps(pa, pa + bytes - 1, px, xLast) ||
    overlaps(py, py + bytes - 1, pa, pa + bytes - 1)
  ) {
    throw new RangeError('maxPool2x2 kernel: the output, the positions and the input must not overlap');
  }
  k.exports.maxPool2x2(px, n, c, sN, sC, sY, width, outH, outW, py, pa);
}
