/**
 * Elementwise binary ops over a 2-D view: `rows` rows of `cols` elements, the output contiguous,
 * each operand either a full row (column stride 1) or one value broadcast along the row
 * (column stride 0), rows at any element stride (0 broadcasts a row over all rows). The JS
 * wrapper collapses broadcast shapes to this form; that covers same-shape, scalar, bias-row and
 * per-row operands. The output may be the first operand itself (in-place ops).
 */
import { at } from './simd';

const ADD: i32 = 0;
const SUB: i32 = 1;
const MUL: i32 = 2;
const DIV: i32 = 3;
const MAXIMUM: i32 = 4;
const MINIMUM: i32 = 5;

// @ts-ignore: decorator
@inline
function vop(op: i32, x: v128, y: v128): v128 {
  if (op == ADD) return f32x4.add(x, y);
  if (op == SUB) return f32x4.sub(x, y);
  if (op == MUL) return f32x4.mul(x, y);
  if (op == DIV) return f32x4.div(x, y);
  // Wasm min/max propagate NaN, as torch.maximum/minimum do.
  if (op == MAXIMUM) return f32x4.max(x, y);
  return f32x4.min(x, y);
}

// @ts-ignore: decorator
@inline
function sop(op: i32, x: f32, y: f32): f32 {
  if (op == ADD) return x + y;
  if (op == SUB) return x - y;
  if (op == MUL) return x * y;
  if (op == DIV) return x / y;
  if (op == MAXIMUM) return max<f32>(x, y);
  return min<f32>(x, y);
}

/** One row; `op` is a constant at every call site so each loop is specialised. */
// @ts-ignore: decorator
@inline
function row(op: i32, n: i32, out: usize, a: usize, aVec: bool, b: usize, bVec: bool): void {
  let i = 0;
  if (aVec && bVec) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, vop(op, v128.load(a + o), v128.load(b + o)));
    }
    for (; i < n; i++) store<f32>(at(out, i), sop(op, load<f32>(at(a, i)), load<f32>(at(b, i))));
  } else if (aVec) {
    const y = load<f32>(b);
    const yv = f32x4.splat(y);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, vop(op, v128.load(a + o), yv));
    }
    for (; i < n; i++) store<f32>(at(out, i), sop(op, load<f32>(at(a, i)), y));
  } else if (bVec) {
    const x = load<f32>(a);
    const xv = f32x4.splat(x);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, vop(op, xv, v128.load(b + o)));
    }
    for (; i < n; i++) store<f32>(at(out, i), sop(op, x, load<f32>(at(b, i))));
  } else {
    const v = sop(op, load<f32>(a), load<f32>(b));
    const vv = f32x4.splat(v);
    for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), vv);
    for (; i < n; i++) store<f32>(at(out, i), v);
  }
}

// @ts-ignore: decorator
@inline
function rows(op: i32, r: i32, n: i32, out: usize, a: usize, aRs: i32, aVec: bool, b: usize, bRs: i32, bVec: bool): void {
  for (let i = 0; i < r; i++) {
    row(op, n, out + <usize>(i * n) * 4, at(a, i * aRs), aVec, at(b, i * bRs), bVec);
  }
}

/**
 * out[i, j] = a[i·aRs + j·aCs] ∘ b[i·bRs + j·bCs] with aCs, bCs ∈ {0, 1};
 * op: 0 add, 1 sub, 2 mul, 3 div, 4 maximum, 5 minimum.
 */
export function binary2d(op: i32, r: i32, n: i32, out: usize, a: usize, aRs: i32, aCs: i32, b: usize, bRs: i32, bCs: i32): void {
  const aVec = aCs != 0;
  const bVec = bCs != 0;
  switch (op) {
    case ADD:
      rows(ADD, r, n, out, a, aRs, aVec, b, bRs, bVec);
      break;
    case SUB:
      rows(SUB, r, n, out, a, aRs, aVec, b, bRs, bVec);
      break;
    case MUL:
      rows(MUL, r, n, out, a, aRs, aVec, b, bRs, bVec);
      break;
    case DIV:
      rows(DIV, r, n, out, a, aRs, aVec, b, bRs, bVec);
      break;
    case MAXIMUM:
      rows(MAXIMUM, r, n, out, a, aRs, aVec, b, bRs, bVec);
      break;
    default:
      rows(MINIMUM, r, n, out, a, aRs, aVec, b, bRs, bVec);
  }
}
