/**
 * im2col and its adjoint col2im for one [C, H, W] image, the geometry of conv2d passed as
 * scalars (the JS wrapper unpacks `Im2colGeometry`). Each output line splits into the range of
 * windows that fall inside the image (copied — a vector copy or add when both the convolution's
 * and the image's x strides are 1) and the padding around it (zeros).
 */
import { at } from './simd';

/**
 * Copies `n` float32 values, four at a time. Lines are short (28 values for LeNet's first
 * convolution, 10 for its second), and V8 runs each memory.copy or memory.fill as a call out of
 * the module: a loop of vector moves made im2col of W3's convolutions ~2× faster.
 */
// @ts-ignore: decorator
@inline
function copyLine(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, v128.load(src + o));
  }
  for (; i < n; i++) store<f32>(at(dst, i), load<f32>(at(src, i)));
}

/** Sets `n` float32 values to +0, four at a time (see copyLine). */
// @ts-ignore: decorator
@inline
function zeroLine(dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), f32x4.splat(0));
  for (; i < n; i++) store<f32>(at(dst, i), 0);
}

/** First ox with 0 ≤ ox·sw + dx, and one past the last with ox·sw + dx < width, within [0, outW]. */
// @ts-ignore: decorator
@inline
function firstInside(dx: i32, sw: i32, outW: i32): i32 {
  return dx >= 0 ? 0 : min(outW, (-dx + sw - 1) / sw);
}

// @ts-ignore: decorator
@inline
function endInside(dx: i32, sw: i32, width: i32, outW: i32): i32 {
  const last = width - 1 - dx;
  return last < 0 ? 0 : min(outW, last / sw + 1);
}

/** The column matrix [C·kH·kW, outH·outW] of the image at `src` (element strides sc, sy, sx). */
export function im2col(
  src: usize, sc: i32, sy: i32, sx: i32,
  channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32,
  strideH: i32, strideW: i32, padH: i32, padW: i32, dilationH: i32, dilationW: i32, outH: i32, outW: i32,
  dst: usize,
): void {
  let row = dst;
  const lineBytes = <usize>outW << 2;
  for (let c = 0; c < channels; c++) {
    const plane = at(src, c * sc);
    for (let ki = 0; ki < kernelH; ki++) {
      for (let kj = 0; kj < kernelW; kj++) {
        const dx = kj * dilationW - padW;
        const x0 = firstInside(dx, strideW, outW);
        const x1 = max(x0, endInside(dx, strideW, width, outW));
        for (let oy = 0; oy < outH; oy++) {
          const y = oy * strideH + ki * dilationH - padH;
          const out = row + <usize>oy * lineBytes;
          if (y < 0 || y >= height) {
            zeroLine(out, outW);
            continue;
          }
          const line = at(plane, y * sy);
          zeroLine(out, x0);
          if (strideW == 1 && sx == 1) {
            copyLine(at(out, x0), at(line, x0 + dx), x1 - x0);
          } else {
            for (let ox = x0; ox < x1; ox++) store<f32>(at(out, ox), load<f32>(at(line, (ox * strideW + dx) * sx)));
          }
          zeroLine(at(out, x1), outW - x1);
        }
        row += <usize>outH * lineBytes;
      }
    }
  }
}

/** Adds the column matrix at `src` back into the contiguous [C, H, W] image at `dst`. */
export function col2im(
  src: usize,
  channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32,
  strideH: i32, strideW: i32, padH: i32, padW: i32, dilationH: i32, dilationW: i32, outH: i32, outW: i32,
  dst: usize,
): void {
  let row = src;
  const lineBytes = <usize>outW << 2;
  for (let c = 0; c < channels; c++) {
    const plane = at(dst, c * height * width);
    for (let ki = 0; ki < kernelH; ki++) {
      for (let kj = 0; kj < kernelW; kj++) {
        const dx = kj * dilationW - padW;
        const x0 = firstInside(dx, strideW, outW);
        const x1 = max(x0, endInside(dx, strideW, width, outW));
        for (let oy = 0; oy < outH; oy++) {
          const y = oy * strideH + ki * dilationH - padH;
          if (y < 0 || y >= height) continue;
          const line = at(plane, y * width);
          const col = row + <usize>oy * lineBytes;
          if (strideW == 1) {
            const d = at(line, x0 + dx);
            const s = at(col, x0);
            const n = x1 - x0;
            let i = 0;
            for (; i + 4 <= n; i += 4) {
              const o = <usize>i << 2;
              v128.store(d + o, f32x4.add(v128.load(d + o), v128.load(s + o)));
            }
            for (; i < n; i++) store<f32>(at(d, i), load<f32>(at(d, i)) + load<f32>(at(s, i)));
          } else {
            for (let ox = x0; ox < x1; ox++) {
              const p = at(line, ox * strideW + dx);
              store<f32>(p, load<f32>(p) + load<f32>(at(col, ox)));
            }
          }
        }
        row += <usize>outH * lineBytes;
      }
    }
  }
}
