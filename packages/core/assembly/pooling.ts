/**
 * 2×2 max pooling with stride 2 and no padding, over [N, C] planes of unit x stride: the value
 * and the first-max position (h·W + w within its plane) of every window, as the TypeScript
 * reference (src/kernels/js/pooling.ts): a later value replaces the best when it is greater or
 * NaN, so NaN counts as the maximum. Four windows at a time: two vectors of a row hold eight
 * values, split into the four even and four odd columns.
 */
import { at } from './simd';

export function maxPool2x2(
  src: usize, n: i32, c: i32, sN: i32, sC: i32, sY: i32, width: i32, outH: i32, outW: i32,
  dst: usize, argmax: usize,
): void {
  let o: i32 = 0;
  for (let ni = 0; ni < n; ni++) {
    for (let ci = 0; ci < c; ci++) {
      const plane = ni * sN + ci * sC;
      for (let oy = 0; oy < outH; oy++) {
        const r0 = at(src, plane + 2 * oy * sY);
        const r1 = at(src, plane + (2 * oy + 1) * sY);
        const p0 = 2 * oy * width;
        let ox = 0;
        for (; ox + 4 <= outW; ox += 4, o += 4) {
          const off = <usize>ox << 3;
          const a0 = v128.load(r0 + off);
          const a1 = v128.load(r0 + off + 16);
          const b0 = v128.load(r1 + off);
          const b1 = v128.load(r1 + off + 16);
          // Each window's top-left position, and the three others after it.
          const first = i32x4(p0 + 2 * ox, p0 + 2 * ox + 2, p0 + 2 * ox + 4, p0 + 2 * ox + 6);
          const one = i32x4.splat(1);
          const below = i32x4.add(first, i32x4.splat(width));
          let best = i32x4.shuffle(a0, a1, 0, 2, 4, 6);
          let idx = first;
          let v = i32x4.shuffle(a0, a1, 1, 3, 5, 7);
          let take = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
          best = v128.bitselect(v, best, take);
          idx = v128.bitselect(i32x4.add(first, one), idx, take);
          v = i32x4.shuffle(b0, b1, 0, 2, 4, 6);
          take = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
          best = v128.bitselect(v, best, take);
          idx = v128.bitselect(below, idx, take);
          v = i32x4.shuffle(b0, b1, 1, 3, 5, 7);
          take = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
          best = v128.bitselect(v, best, take);
          idx = v128.bitselect(i32x4.add(below, one), idx, take);
          v128.store(at(dst, o), best);
          v128.store(argmax + (<usize>o << 2), idx);
        }
        for (; ox < outW; ox++, o++) {
          const x = 2 * ox;
          let best = load<f32>(at(r0, x));
          let pos = p0 + x;
          let v = load<f32>(at(r0, x + 1));
          if (v > best || v != v) {
            best = v;
            pos = p0 + x + 1;
          }
          v = load<f32>(at(r1, x));
          if (v > best || v != v) {
            best = v;
            pos = p0 + width + x;
          }
          v = load<f32>(at(r1, x + 1));
          if (v > best || v != v) {
            best = v;
            pos = p0 + width + x + 1;
          }
          store<f32>(at(dst, o), best);
          store<i32>(argmax + (<usize>o << 2), pos);
        }
      }
    }
  }
}
