import type { TypedArray } from '../../dtype.js';

/** The geometry of one 2-D convolution over a single [C, H, W] image. */
export interface Im2colGeometry {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly kernelH: number;
  readonly kernelW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padH: number;
  readonly padW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly outH: number;
  readonly outW: number;
}

/**
 * Unfolds one [C, H, W] image, read through any strides, into the column matrix
 * [C·kH·kW, outH·outW] (row-major at `dstOff`): row (c, ki, kj) holds the input element each
 * output position sees through kernel tap (ki, kj); padding reads as 0.
 */
export function im2colJs(
  src: TypedArray,
  srcOff: number,
  strideC: number,
  strideY: number,
  strideX: number,
  g: Im2colGeometry,
  dst: TypedArray,
  dstOff: number,
): void {
  const { channels, height, width, kernelH, kernelW, outH, outW } = g;
  let row = dstOff;
  for (let c = 0; c < channels; c++) {
    const plane = srcOff + c * strideC;
    for (let ki = 0; ki < kernelH; ki++) {
      for (let kj = 0; kj < kernelW; kj++) {
        const dx = kj * g.dilationW - g.padW;
        for (let oy = 0; oy < outH; oy++) {
          const y = oy * g.strideH + ki * g.dilationH - g.padH;
          const out = row + oy * outW;
          if (y < 0 || y >= height) {
            dst.fill(0, out, out + outW);
            continue;
          }
          const line = plane + y * strideY;
          for (let ox = 0; ox < outW; ox++) {
            const x = ox * g.strideW + dx;
            dst[out + ox] = x >= 0 && x < width ? src[line + x * strideX]! : 0;
          }
        }
        row += outH * outW;
      }
    }
  }
}

/**
 * The adjoint of `im2colJs`: adds each entry of the column matrix [C·kH·kW, outH·outW] at
 * `srcOff` back into the contiguous [C, H, W] image at `dstOff` (entries that fell on padding are
 * dropped). Overlapping windows accumulate, so `dst` must be initialised by the caller.
 */
export function col2imJs(src: TypedArray, srcOff: number, g: Im2colGeometry, dst: TypedArray, dstOff: number): void {
  const { channels, height, width, kernelH, kernelW, outH, outW } = g;
  let row = srcOff;
  for (let c = 0; c < channels; c++) {
    const plane = dstOff + c * height * width;
    for (let ki = 0; ki < kernelH; ki++) {
      for (let kj = 0; kj < kernelW; kj++) {
        const dx = kj * g.dilationW - g.padW;
        for (let oy = 0; oy < outH; oy++) {
          const y = oy * g.strideH + ki * g.dilationH - g.padH;
          if (y < 0 || y >= height) continue;
          const line = plane + y * width;
          const col = row + oy * outW;
          for (let ox = 0; ox < outW; ox++) {
            const x = ox * g.strideW + dx;
            if (x >= 0 && x < width) dst[line + x] = dst[line + x]! + src[col + ox]!;
          }
        }
        row += outH * outW;
      }
    }
  }
}
