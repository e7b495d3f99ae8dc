/**
 * The all-reduce sum: dst = the sum of `count` equally long slots, added in a fixed pairwise
 * tree (level by level, slot 2j + slot 2j+1, an odd last one carried up unchanged), so the result
 * depends only on the slots' order, never on which thread reduces which slice. Works through
 * blocks of BLK floats so that the tree's partial sums stay in L1 (in `tmp`, the caller's
 * scratch); `dst` may be one of the slots (it is written after its block is read).
 */
import { at } from './simd';

const BLK: i32 = 256;

/** Bytes of scratch `sumSlots` needs for `count` slots (their addresses, then partial sums). */
export function sumSlotsScratchBytes(count: i32): usize {
  return <usize>(count * 4 + 64) + <usize>(((count + 1) >> 1) * BLK) * 4;
}

// @ts-ignore: decorator
@inline
function add(n: i32, out: usize, x: usize, y: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.add(v128.load(x + o), v128.load(y + o)));
  }
  for (; i < n; i++) store<f32>(at(out, i), load<f32>(at(x, i)) + load<f32>(at(y, i)));
}

/**
 * dst[i] = tree sum of slot_k[i] over k < count, where slot addresses are the u32 values at
 * `slots` and `tmp` holds ⌈count/2⌉·BLK floats.
 */
export function sumSlots(n: i32, dst: usize, slots: usize, count: i32, tmp: usize): void {
  if (count <= 0) {
    memory.fill(dst, 0, <usize>n << 2);
    return;
  }
  for (let i0 = 0; i0 < n; i0 += BLK) {
    const len = min(BLK, n - i0);
    const off = <usize>i0 << 2;
    const out = dst + off;
    if (count == 1) {
      memory.copy(out, load<usize>(slots) + off, <usize>len << 2);
      continue;
    }
    if (count == 2) {
      add(len, out, load<usize>(slots) + off, load<usize>(slots, 4) + off);
      continue;
    }
    // First level from the slots into tmp, then level by level inside tmp.
    const half = count >> 1;
    for (let j = 0; j < half; j++) {
      const s = slots + (<usize>j << 3);
      add(len, tmp + <usize>(j * BLK) * 4, load<usize>(s) + off, load<usize>(s, 4) + off);
    }
    if (count & 1) memory.copy(tmp + <usize>(half * BLK) * 4, load<usize>(slots + (<usize>(count - 1) << 2)) + off, <usize>len << 2);
    let c = (count + 1) >> 1;
    while (c > 2) {
      const h = c >> 1;
      for (let j = 0; j < h; j++) {
        add(len, tmp + <usize>(j * BLK) * 4, tmp + <usize>(2 * j * BLK) * 4, tmp + <usize>((2 * j + 1) * BLK) * 4);
      }
      if (c & 1) memory.copy(tmp + <usize>(h * BLK) * 4, tmp + <usize>((c - 1) * BLK) * 4, <usize>len << 2);
      c = (c + 1) >> 1;
    }
    add(len, out, tmp, tmp + <usize>BLK * 4);
  }
}
