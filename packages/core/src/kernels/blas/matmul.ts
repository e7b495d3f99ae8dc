import type { TypedArray } from '../../dtype.js';
import { memoryContext } from '../../memory/context.js';
import { memoryOfBuffer, registerBuffer } from '../../memory/shared-memory.js';
import type { WasmMemory } from '../../memory/wasm-api.js';
import { matmulJs } from '../js/matmul.js';
import { stridedCopyJs } from '../js/strided-copy.js';
import { matmulWasm } from '../wasm/matmul.js';
import { scratch } from '../wasm/scratch.js';
import type { BlasLibrary } from './load.js';
import { blasLibrary } from './library.js';

const ROW_MAJOR = 101;
const NO_TRANS = 111;
const TRANS = 112;

/**
 * Products of fewer multiply-adds (M·N·K) than this stay on the WebAssembly (float32) or
 * TypeScript (float64) kernel: below it the FFI call (~0.2 µs) and BLAS's packing cost more than
 * they save. Measured with bench/blas-crossover.mjs: float32 breaks even between 12³ and 24³
 * (OpenBLAS Cooperlake vs Haswell kernels), float64 between 4³ and 8³. A threshold on the shape
 * alone keeps the choice, and so the result, the same for any worker count.
 */
export const BLAS_MIN_MULTIPLY_ADDS: Readonly<Record<'float32' | 'float64', number>> = {
  float32: 8192,
  float64: 256,
};

/**
 * Whether C = A·Bᵀ runs faster as Cᵀ = B·Aᵀ into scratch, then transposed into C: for a float32
 * product with few rows (a micro-batch) and a large transposed B (a Linear layer's weight,
 * [out, in], in the forward X·Wᵀ). OpenBLAS packs the big operand much faster as the right-hand
 * 'N' matrix of the swapped call than as the left-hand 'T' one of the direct call, which outweighs
 * the transposing copy of the small output. Alone (bench/gemm-swap.mjs): W1's first layer
 * (16×784·784×256) 72 → 53 µs, W2's (32×784·784×1024) 480 → 427 µs and its second
 * (32×1024·1024×1024) 696 → 554 µs; no gain below these bounds or for the other layouts. In
 * training, W1 at 1 worker runs 8.5% more samples/s (64,200 → 69,600, packages/parallel's
 * bench/index.mjs); W2 is unchanged, its weights coming from memory either way. The rule reads
 * the shapes and layouts only, so the choice (and the bits) are the same for any worker count.
 */
function swapIsFaster(f32: boolean, M: number, N: number, K: number, ldA: number, ldB: number): boolean {
  return f32 && ldA > 0 && ldB < 0 && M <= 32 && K * N >= 1 << 17;
}

/**
 * How a strided [rows, cols] operand reads as a BLAS matrix, as one number (no object per call): its
 * leading dim, negated when BLAS reads it transposed, or 0 when it cannot read it in place. A
 * row-major matrix with unit column stride is 'N' with ld = its row stride; a column-major one is
 * 'T' with ld = its column stride; a dim of extent 1 may have any stride. BLAS needs ld ≥ max(1,
 * the other extent), so broadcast (stride 0), overlapping or doubly strided operands are 0: the
 * caller copies them.
 */
function blasLd(rows: number, cols: number, rowStride: number, colStride: number): number {
  if ((cols <= 1 || colStride === 1) && (rows <= 1 || rowStride >= Math.max(1, cols))) {
    return rows <= 1 ? Math.max(1, cols) : rowStride;
  }
  if ((rows <= 1 || rowStride === 1) && (cols <= 1 || colStride >= Math.max(1, rows))) {
    return -(cols <= 1 ? Math.max(1, rows) : colStride);
  }
  return 0;
}

/** The memory `array` views, learning a buffer taken straight from this thread's memory. */
function memoryOf(array: TypedArray): WasmMemory | undefined {
  const known = memoryOfBuffer(array.buffer);
  if (known) return known;
  const own = memoryContext().memory.memory;
  if (array.buffer !== own.buffer) return undefined;
  registerBuffer(array.buffer, own);
  return own;
}

// A shared WebAssembly memory grows in place (every SharedArrayBuffer ever handed out must stay
// valid), so the address of its first byte is fixed for its lifetime. Addresses are kept by byte
// position: an address is above 2^31, so V8 makes a heap number each time one is computed, and a
// training step calls BLAS on the same positions every step (passing a kept number makes none).
const addresses = new WeakMap<WasmMemory, { base: number; byPosition: Map<number, number> }>();
/** Positions kept per memory at most (then forgotten at once): ample for a step's operands. */
const KEPT_POSITIONS = 4096;

/** The native address of `array[offset]`, or -1 when the array is not in a WebAssembly memory. */
function nativeAddress(lib: BlasLibrary, array: TypedArray, offset: number): number {
  const memory = memoryOf(array);
  if (!memory) return -1;
  let known = addresses.get(memory);
  if (known === undefined) {
    known = { base: lib.baseAddress(memory.buffer), byPosition: new Map() };
    addresses.set(memory, known);
  }
  const position = array.byteOffset + offset * array.BYTES_PER_ELEMENT;
  let address = known.byPosition.get(position);
  if (address === undefined) {
    if (known.byPosition.size >= KEPT_POSITIONS) known.byPosition.clear();
    address = known.base + position;
    known.byPosition.set(position, address);
  }
  return address;
}

/** Whether the bytes a strided operand reads and the output's bytes share one. */
function overlapsOutput(c0: number, c1: number, p: number, rows: number, rs: number, cols: number, cs: number, bytes: number): boolean {
  const lo = p + Math.min(0, (rows - 1) * rs) * bytes + Math.min(0, (cols - 1) * cs) * bytes;
  const hi = p + Math.max(0, (rows - 1) * rs) * bytes + Math.max(0, (cols - 1) * cs) * bytes + bytes - 1;
  return c0 <= hi && lo <= c1;
}

/**
 * `matmulJs`'s signature on the native CBLAS (`cblas_sgemm`/`cblas_dgemm`, called through koffi
 * on addresses inside the shared WebAssembly memory, no copy): A·B, A·Bᵀ and Aᵀ·B in place, any
 * other strides copied first. Small products, arrays outside the memory, mixed types and a thread
 * without a BLAS go to the WebAssembly kernel (float32) or the TypeScript one.
 */
export function matmulBlas(
  M: number,
  N: number,
  K: number,
  a: TypedArray,
  aOff: number,
  aRowStride: number,
  aColStride: number,
  b: TypedArray,
  bOff: number,
  bRowStride: number,
  bColStride: number,
  c: TypedArray,
  cOff: number,
  accumulate: boolean,
): void {
  const f32 = c instanceof Float32Array;
  const lib = f32 || c instanceof Float64Array ? blasLibrary() : null;
  const large = M * N * K >= BLAS_MIN_MULTIPLY_ADDS[f32 ? 'float32' : 'float64'];
  if (!lib || !large || !gemmOnBlas(lib, M, N, K, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, accumulate)) {
    const fallback = f32 ? matmulWasm : matmulJs;
    fallback(M, N, K, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, accumulate);
  }
}

/**
 * C = A·B (+ C) on `lib` whatever the size, as `matmulBlas` describes; false (nothing done) when
 * the arrays are not all float32 or all float64 views of a WebAssembly memory, or a dim is 0.
 */
export function gemmOnBlas(
  lib: BlasLibrary,
  M: number,
  N: number,
  K: number,
  a: TypedArray,
  aOff: number,
  aRowStride: number,
  aColStride: number,
  b: TypedArray,
  bOff: number,
  bRowStride: number,
  bColStride: number,
  c: TypedArray,
  cOff: number,
  accumulate: boolean,
): boolean {
  const f32 = c instanceof Float32Array && a instanceof Float32Array && b instanceof Float32Array;
  const f64 = c instanceof Float64Array && a instanceof Float64Array && b instanceof Float64Array;
  if (!(f32 || f64) || M === 0 || N === 0 || K === 0) return false;
  const pc = nativeAddress(lib, c, cOff);
  const pa = nativeAddress(lib, a, aOff);
  const pb = nativeAddress(lib, b, bOff);
  if (pa < 0 || pb < 0 || pc < 0) return false;
  const bytes = c.BYTES_PER_ELEMENT;
  const cEnd = pc + M * N * bytes - 1;
  if (
    overlapsOutput(pc, cEnd, pa, M, aRowStride, K, aColStride, bytes) ||
    overlapsOutput(pc, cEnd, pb, K, bRowStride, N, bColStride, bytes)
  ) {
    throw new RangeError(`matmul kernel: the output [${M}, ${N}] overlaps an input`);
  }
  const ldA = blasLd(M, K, aRowStride, aColStride);
  const ldB = blasLd(K, N, bRowStride, bColStride);
  const aCopyBytes = ldA !== 0 ? 0 : padded(M * K * bytes);
  const copyBytes = aCopyBytes + (ldB !== 0 ? 0 : padded(K * N * bytes));
  const swap = swapIsFaster(f32, M, N, K, ldA, ldB);
  const swapBytes = swap ? M * N * bytes : 0;
  const region = copyBytes + swapBytes === 0 ? 0 : scratch(copyBytes + swapBytes);
  // A copied operand is row-major: 'N' with ld = its columns.
  const addressA = ldA !== 0 ? pa : copied(lib, [M, K, a, aOff, aRowStride, aColStride], region);
  const addressB = ldB !== 0 ? pb : copied(lib, [K, N, b, bOff, bRowStride, bColStride], region + aCopyBytes);
  const opA = ldA !== 0 ? ldA : Math.max(1, K);
  const opB = ldB !== 0 ? ldB : Math.max(1, N);
  const gemm = f32 ? lib.sgemm : lib.dgemm;
  if (swap) {
    const t = swapOutput(region + copyBytes, M * N);
    gemm(ROW_MAJOR, NO_TRANS, TRANS, N, M, K, 1, addressB, -opB, addressA, opA, 0, nativeAddress(lib, t, 0), M);
    transposeInto(t, M, N, c, cOff, accumulate);
    return true;
  }
  gemm(
    ROW_MAJOR,
    opA > 0 ? NO_TRANS : TRANS,
    opB > 0 ? NO_TRANS : TRANS,
    M,
    N,
    K,
    1,
    addressA,
    Math.abs(opA),
    addressB,
    Math.abs(opB),
    accumulate ? 1 : 0,
    pc,
    Math.max(1, N),
  );
  return true;
}

/** Views of the swapped products' output, by length, at one byte position of one buffer. */
const swapViews = { buffer: null as ArrayBufferLike | null, at: -1, byLength: new Map<number, Float32Array>() };

/** The swapped product's output: `n` floats at byte `at` of this thread's memory, its view kept (a step makes no garbage). */
function swapOutput(at: number, n: number): Float32Array {
  const buffer = memoryContext().memory.buffer;
  if (swapViews.buffer !== buffer || swapViews.at !== at) {
    swapViews.buffer = buffer;
    swapViews.at = at;
    swapViews.byLength.clear();
  }
  let view = swapViews.byLength.get(n);
  if (view === undefined) {
    view = new Float32Array(buffer, at, n);
    swapViews.byLength.set(n, view);
  }
  return view;
}

/** C (+)= Tᵀ, T being [N, M] and C [M, N], both dense. */
function transposeInto(t: Float32Array, M: number, N: number, c: TypedArray, cOff: number, accumulate: boolean): void {
  for (let i = 0; i < M; i++) {
    const row = cOff + i * N;
    if (accumulate) for (let j = 0; j < N; j++) c[row + j]! += t[j * M + i]!;
    else for (let j = 0; j < N; j++) c[row + j] = t[j * M + i]!;
  }
}

/** `bytes` rounded up to a cache line, so that a second copy starts aligned. */
function padded(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

/** [rows, cols, array, offset, rowStride, colStride] of an operand BLAS cannot read in place. */
type Strided = readonly [number, number, TypedArray, number, number, number];

/** Copies an operand row-major to byte `at` of this thread's memory (its scratch region); returns its native address. */
function copied(lib: BlasLibrary, [rows, cols, src, off, rs, cs]: Strided, at: number): number {
  const buffer = memoryContext().memory.buffer;
  const dst = src instanceof Float32Array ? new Float32Array(buffer, at, rows * cols) : new Float64Array(buffer, at, rows * cols);
  stridedCopyJs([rows, cols], [rs, cs], src, off, dst, 0);
  return nativeAddress(lib, dst, 0);
}
