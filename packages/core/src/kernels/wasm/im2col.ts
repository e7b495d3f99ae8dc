import type { TypedArray } from '../../dtype.js';
import { type Im2colGeometry, col2imJs, im2colJs } from '../js/im2col.js';
import { addressOf, wasmKernels } from './module.js';
import { overlaps } from './overlap.js';

/** `im2colJs` on the WebAssembly kernel (non-negative strides, float32 in the kernels' memory). */
export function im2colWasm(
  src: TypedArray,
  srcOff: number,
  strideC: number,
  strideY: number,
  strideX: number,
  g: Im2colGeometry,
  dst: TypedArray,
  dstOff: number,
): void {
  const rows = g.channels * g.kernelH * g.kernelW;
  const cols = g.outH * g.outW;
  const k = rows * cols > 0 && strideC >= 0 && strideY >= 0 && strideX >= 0 ? wasmKernels() : null;
  const ps = k ? addressOf(k, src, srcOff) : -1;
  const pd = k ? addressOf(k, dst, dstOff) : -1;
  if (!k || ps < 0 || pd < 0) return im2colJs(src, srcOff, strideC, strideY, strideX, g, dst, dstOff);
  const srcLast = ps + ((g.channels - 1) * strideC + (g.height - 1) * strideY + (g.width - 1) * strideX) * 4 + 3;
  if (g.height > 0 && g.width > 0 && overlaps(pd, pd + rows * cols * 4 - 1, ps, srcLast)) {
    throw new RangeError('im2col kernel: the column matrix overlaps the image');
  }
  k.exports.im2col(
    ps,
    strideC,
    strideY,
    strideX,
    g.channels,
    g.height,
    g.width,
    g.kernelH,
    g.kernelW,
    g.strideH,
    g.strideW,
    g.padH,
    g.padW,
    g.dilationH,
    g.dilationW,
    g.outH,
    g.outW,
    pd,
  );
}

/** `col2imJs` on the WebAssembly kernel. */
export function col2imWasm(src: TypedArray, srcOff: number, g: Im2colGeometry, dst: TypedArray, dstOff: number): void {
  const rows = g.channels * g.kernelH * g.kernelW;
  const cols = g.outH * g.outW;
  const image = g.channels * g.height * g.width;
  const k = rows * cols > 0 && image > 0 ? wasmKernels() : null;
  const ps = k ? addressOf(k, src, srcOff) : -1;
  const pd = k ? addressOf(k, dst, dstOff) : -1;
  if (!k || ps < 0 || pd < 0) return col2imJs(src, srcOff, g, dst, dstOff);
  if (overlaps(pd, pd + image * 4 - 1, ps, ps + rows * cols * 4 - 1)) {
    throw new RangeError('col2im kernel: the image overlaps the column matrix');
  }
  k.exports.col2im(
    ps,
    g.channels,
    g.height,
    g.width,
    g.kernelH,
    g.kernelW,
    g.strideH,
    g.strideW,
    g.padH,
    g.padW,
    g.dilationH,
    g.dilationW,
    g.outH,
    g.outW,
    pd,
  );
}
