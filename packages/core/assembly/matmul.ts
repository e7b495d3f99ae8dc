/**
 * C[M,N] (row-major, row stride N) = A[M,K]·B[K,N] (+ C), with A and B read through any element
 * strides, so A·B, A·Bᵀ and Aᵀ·B are one kernel. GotoBLAS/BLIS structure: B is packed per
 * (KC × NC) block into NR-wide column panels, A per (MC × KC) block into MR-high row panels,
 * and a 4×8 register tile runs over the packed panels. Packing pads partial panels with zeros,
 * so the micro-kernel never branches on edges; partial tiles are written out through `tile`.
 *
 * Every buffer is in the caller's scratch region: several threads run this module on one memory
 * at once, so nothing here writes to a fixed address.
 */
import { at, madd, roundUp } from './simd';

const MR: i32 = 4;
const NR: i32 = 8;
/** One packed A block (MC × KC floats) stays in L2, one B micro-panel (KC × NR) in L1. */
const KC: i32 = 256;
const MC: i32 = 128;
const NC: i32 = 2048;
const TILE_BYTES: usize = <usize>(MR * NR * 4);

/** Bytes of scratch `matmul` needs for these sizes. */
export function matmulScratchBytes(M: i32, N: i32, K: i32): usize {
  const kc = min(K, KC);
  const mc = roundUp(min(M, MC), MR);
  const nc = roundUp(min(N, NC), NR);
  return TILE_BYTES + <usize>(mc * kc + kc * nc) * 4;
}

/**
 * C = A·B (+ C when `accumulate`). Addresses are byte addresses, strides are in elements.
 * `scratch` holds at least `matmulScratchBytes(M, N, K)` bytes owned by the calling thread.
 */
export function matmul(
  M: i32,
  N: i32,
  K: i32,
  a: usize,
  aRs: i32,
  aCs: i32,
  b: usize,
  bRs: i32,
  bCs: i32,
  c: usize,
  accumulate: bool,
  scratch: usize,
): void {
  if (M <= 0 || N <= 0) return;
  const ldc = (<usize>N) << 2;
  if (K <= 0) {
    if (!accumulate) memory.fill(c, 0, <usize>M * ldc);
    return;
  }
  const tile = scratch;
  const ap = scratch + TILE_BYTES;
  const bp = ap + <usize>(roundUp(min(M, MC), MR) * min(K, KC)) * 4;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      packB(kc, nc, at(b, pc * bRs + jc * bCs), bRs, bCs, bp);
      const add = accumulate || pc > 0;
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        packA(mc, kc, at(a, ic * aRs + pc * aCs), aRs, aCs, ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bPanel = bp + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const cTile = c + <usize>(ic + ir) * ldc + (<usize>(jc + jr) << 2);
            micro(kc, ap + <usize>(ir * kc) * 4, bPanel, cTile, ldc, add, mr, nr, tile);
          }
        }
      }
    }
  }
}

/** The 4×8 register tile over kc packed steps, written (or added) to C. */
// @ts-ignore: decorator
@inline
function micro(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, add: bool, mr: i32, nr: i32, tile: usize): void {
  let c00 = f32x4.splat(0);
  let c01 = c00;
  let c10 = c00;
  let c11 = c00;
  let c20 = c00;
  let c21 = c00;
  let c30 = c00;
  let c31 = c00;
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let x = v128.load32_splat(ap);
    c00 = madd(x, b0, c00);
    c01 = madd(x, b1, c01);
    x = v128.load32_splat(ap, 4);
    c10 = madd(x, b0, c10);
    c11 = madd(x, b1, c11);
    x = v128.load32_splat(ap, 8);
    c20 = madd(x, b0, c20);
    c21 = madd(x, b1, c21);
    x = v128.load32_splat(ap, 12);
    c30 = madd(x, b0, c30);
    c31 = madd(x, b1, c31);
    ap += 16;
    bp += 32;
  }
  if (mr == MR && nr == NR) {
    storeRow(c, c00, c01, add);
    storeRow(c + ldc, c10, c11, add);
    storeRow(c + 2 * ldc, c20, c21, add);
    storeRow(c + 3 * ldc, c30, c31, add);
    return;
  }
  v128.store(tile, c00);
  v128.store(tile, c01, 16);
  v128.store(tile, c10, 32);
  v128.store(tile, c11, 48);
  v128.store(tile, c20, 64);
  v128.store(tile, c21, 80);
  v128.store(tile, c30, 96);
  v128.store(tile, c31, 112);
  for (let i = 0; i < mr; i++) {
    const src = tile + <usize>(i * NR) * 4;
    const dst = c + <usize>i * ldc;
    for (let j = 0; j < nr; j++) {
      const v = load<f32>(at(src, j));
      store<f32>(at(dst, j), add ? load<f32>(at(dst, j)) + v : v);
    }
  }
}

// @ts-ignore: decorator
@inline
function storeRow(dst: usize, lo: v128, hi: v128, add: bool): void {
  if (add) {
    lo = f32x4.add(v128.load(dst), lo);
    hi = f32x4.add(v128.load(dst, 16), hi);
  }
  v128.store(dst, lo);
  v128.store(dst, hi, 16);
}

/** Transposes the 4×4 block held in four row vectors and stores its columns at dst, dst+step, … */
// @ts-ignore: decorator
@inline
function storeTransposed4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, step: usize): void {
  const t0 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5);
  const t2 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7);
  const t3 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<i32>(t0, t1, 0, 1, 4, 5));
  v128.store(dst + step, v128.shuffle<i32>(t0, t1, 2, 3, 6, 7));
  v128.store(dst + 2 * step, v128.shuffle<i32>(t2, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * step, v128.shuffle<i32>(t2, t3, 2, 3, 6, 7));
}

/**
 * Packs A[0:mc, 0:kc] into row panels of MR: panel p holds, for each k, A[p·MR .. p·MR+3, k]
 * (zeros past row mc).
 */
function packA(mc: i32, kc: i32, a: usize, rs: i32, cs: i32, dst: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    const src = at(a, i0 * rs);
    const panel = dst + <usize>(i0 * kc) * 4;
    if (rows == MR && rs == 1) {
      // Aᵀ operand: the MR values of one k are adjacent.
      for (let k = 0; k < kc; k++) v128.store(panel + (<usize>k << 4), v128.load(at(src, k * cs)));
      continue;
    }
    if (rows == MR && cs == 1) {
      // Row-major A: read 4 rows along k and transpose 4×4 blocks.
      const r1 = at(src, rs);
      const r2 = at(src, 2 * rs);
      const r3 = at(src, 3 * rs);
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const o = <usize>k << 2;
        storeTransposed4(v128.load(src + o), v128.load(r1 + o), v128.load(r2 + o), v128.load(r3 + o), panel + (<usize>k << 4), 16);
      }
      for (; k < kc; k++) {
        const o = <usize>k << 2;
        const p = panel + (<usize>k << 4);
        store<f32>(p, load<f32>(src + o));
        store<f32>(p, load<f32>(r1 + o), 4);
        store<f32>(p, load<f32>(r2 + o), 8);
        store<f32>(p, load<f32>(r3 + o), 12);
      }
      continue;
    }
    for (let k = 0; k < kc; k++) {
      const p = panel + (<usize>k << 4);
      const col = at(src, k * cs);
      for (let i = 0; i < MR; i++) store<f32>(at(p, i), i < rows ? load<f32>(at(col, i * rs)) : 0);
    }
  }
}

/**
 * Packs B[0:kc, 0:nc] into column panels of NR: panel p holds, for each k, B[k, p·NR .. p·NR+7]
 * (zeros past column nc).
 */
function packB(kc: i32, nc: i32, b: usize, rs: i32, cs: i32, dst: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    const src = at(b, j0 * cs);
    const panel = dst + <usize>(j0 * kc) * 4;
    if (cols == NR && cs == 1) {
      // Row-major B: the NR values of one k are adjacent.
      for (let k = 0; k < kc; k++) {
        const row = at(src, k * rs);
        const p = panel + (<usize>k << 5);
        v128.store(p, v128.load(row));
        v128.store(p, v128.load(row, 16), 16);
      }
      continue;
    }
    if (cols == NR && rs == 1) {
      // Bᵀ operand (a [N,K] row-major matrix): read 8 rows along k and transpose 4×4 blocks.
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const o = <usize>k << 2;
        const p = panel + (<usize>k << 5);
        storeTransposed4(
          v128.load(src + o),
          v128.load(at(src, cs) + o),
          v128.load(at(src, 2 * cs) + o),
          v128.load(at(src, 3 * cs) + o),
          p,
          32,
        );
        storeTransposed4(
          v128.load(at(src, 4 * cs) + o),
          v128.load(at(src, 5 * cs) + o),
          v128.load(at(src, 6 * cs) + o),
          v128.load(at(src, 7 * cs) + o),
          p + 16,
          32,
        );
      }
      for (; k < kc; k++) {
        const p = panel + (<usize>k << 5);
        for (let j = 0; j < NR; j++) store<f32>(at(p, j), load<f32>(at(src, k + j * cs)));
      }
      continue;
    }
    for (let k = 0; k < kc; k++) {
      const p = panel + (<usize>k << 5);
      const row = at(src, k * rs);
      for (let j = 0; j < NR; j++) store<f32>(at(p, j), j < cols ? load<f32>(at(row, j * cs)) : 0);
    }
  }
}
