import type { TypedArray } from '../../dtype.js';
import { env } from '../../env.js';
import { memoryContext } from '../../memory/context.js';
import { memoryOfBuffer, registerBuffer } from '../../memory/shared-memory.js';
import { type WasmMemory, type WasmModule, wasmApi } from '../../memory/wasm-api.js';
import { fetchKernelBuild, type KernelBuild } from './locate.js';

/** Which WebAssembly build runs the kernels. */
export type WasmBackend = 'wasm-relaxed-simd' | 'wasm-simd';

/** The functions the kernel module exports (addresses are byte offsets into the memory). */
export interface KernelExports {
  simdLevel(): number;
  matmul(
    M: number,
    N: number,
    K: number,
    a: number,
    aRs: number,
    aCs: number,
    b: number,
    bRs: number,
    bCs: number,
    c: number,
    accumulate: number,
    scratch: number,
  ): void;
  matmulScratchBytes(M: number, N: number, K: number): number;
  binary2d(
    op: number,
    rows: number,
    cols: number,
    out: number,
    a: number,
    aRs: number,
    aCs: number,
    b: number,
    bRs: number,
    bCs: number,
  ): void;
  sgd(
    n: number,
    param: number,
    grad: number,
    buf: number,
    lr: number,
    momentum: number,
    dampening: number,
    weightDecay: number,
    nesterov: number,
    maximize: number,
    first: number,
  ): void;
  adam(
    n: number,
    param: number,
    grad: number,
    expAvg: number,
    expAvgSq: number,
    maxSq: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
    decay: number,
    maximize: number,
    stepSize: number,
    bc2Sqrt: number,
  ): void;
  rmsprop(
    n: number,
    param: number,
    grad: number,
    squareAvg: number,
    gradAvg: number,
    buf: number,
    lr: number,
    alpha: number,
    eps: number,
    weightDecay: number,
    momentum: number,
    maximize: number,
  ): void;
  adagrad(n: number, param: number, grad: number, stateSum: number, clr: number, eps: number, weightDecay: number, maximize: number): void;
  sumSlots(n: number, dst: number, slots: number, count: number, tmp: number): void;
  sumSlotsScratchBytes(count: number): number;
  sumAxis(outer: number, r: number, inner: number, x: number, out: number): void;
  extremumRows(rows: number, n: number, x: number, values: number, indices: number, isMax: number): void;
  centredSquares(rows: number, n: number, x: number, centres: number, out: number): void;
  unary(op: number, n: number, x: number, out: number, p0: number, p1: number): void;
  unaryBackward(op: number, n: number, x: number, y: number, g: number, gi: number, p0: number, p1: number): void;
  im2col(
    src: number,
    sc: number,
    sy: number,
    sx: number,
    channels: number,
    height: number,
    width: number,
    kernelH: number,
    kernelW: number,
    strideH: number,
    strideW: number,
    padH: number,
    padW: number,
    dilationH: number,
    dilationW: number,
    outH: number,
    outW: number,
    dst: number,
  ): void;
  col2im(
    src: number,
    channels: number,
    height: number,
    width: number,
    kernelH: number,
    kernelW: number,
    strideH: number,
    strideW: number,
    padH: number,
    padW: number,
    dilationH: number,
    dilationW: number,
    outH: number,
    outW: number,
    dst: number,
  ): void;
  maxPool2x2(
    src: number,
    n: number,
    c: number,
    sN: number,
    sC: number,
    sY: number,
    width: number,
    outH: number,
    outW: number,
    dst: number,
    argmax: number,
  ): void;
  softmaxRows(rows: number, n: number, x: number, out: number, log: number): void;
  softmaxRowsBackward(rows: number, n: number, y: number, g: number, gi: number, log: number): void;
  logsumexpRows(rows: number, n: number, x: number, out: number): void;
  softmaxXentRows(rows: number, n: number, x: number, targets: number, loss: number, grad: number): void;
}

/** This thread's instance of the kernel module, over this thread's memory. */
export interface WasmKernels {
  readonly exports: KernelExports;
  readonly memory: WasmMemory;
  readonly backend: WasmBackend;
}

let compiled: WasmModule | null = null;
let instance: WasmKernels | null = null;
let failure: Error | null = null;
const unavailableHooks: (() => void)[] = [];

/** A synchronous way to the kernel builds: Node's file system (set by the Node entry, node-files.ts). */
export interface KernelFiles {
  /** Lets the runtime validate relaxed SIMD, where that needs a switch. */
  enableRelaxedSimd(): void;
  read(build: KernelBuild): Uint8Array;
}

let files: KernelFiles | null = null;

/** Installs the synchronous reader of the kernel builds (the Node entry does, on import). */
export function setKernelFiles(reader: KernelFiles): void {
  files = reader;
}

/** The relaxed-SIMD build where the runtime validates it, the plain SIMD build otherwise. */
function compileBuilds(relaxed: () => Uint8Array, plain: () => Uint8Array): WasmModule {
  try {
    const bytes = relaxed();
    if (wasmApi.validate(bytes)) return new wasmApi.Module(bytes);
  } catch {
    // Fall through to the plain SIMD build.
  }
  const bytes = plain();
  if (!wasmApi.validate(bytes)) throw new Error('this runtime does not support WebAssembly SIMD');
  return new wasmApi.Module(bytes);
}

/**
 * Compiles the kernel module from the package's files (Node 20 validates relaxed SIMD only behind
 * a V8 flag, set here first). Without a file system the module must be loaded beforehand.
 */
function compile(): WasmModule {
  const reader = files;
  if (!reader) {
    throw new Error('this runtime has no file system to read the kernel module from: await loadWasmModule() before the first kernel call');
  }
  return compileBuilds(
    () => {
      reader.enableRelaxedSimd();
      return reader.read('kernels-relaxed.wasm');
    },
    () => reader.read('kernels.wasm'),
  );
}

function fail(error: unknown): Error {
  failure = error instanceof Error ? error : new Error(String(error));
  for (const hook of unavailableHooks) hook();
  return failure;
}

/**
 * Makes the kernel module ready in this thread before the first kernel call. In Node it is read
 * from the package's files on first use anyway, and this does nothing; in a browser (no file
 * system) it fetches the builds from beside the module (`new URL('…', import.meta.url)`) and
 * compiles them. If they cannot load, the kernels fall back to TypeScript as when compiling fails
 * (`kernelInfo().fallbackReason` says why), or, under LOOM_KERNELS=wasm, this throws.
 */
export async function loadWasmModule(): Promise<void> {
  if (files || compiled || instance || failure || env.kernels === 'js') return;
  try {
    const relaxed = await fetchKernelBuild('kernels-relaxed.wasm').catch(() => null);
    const plain = await fetchKernelBuild('kernels.wasm');
    compiled = compileBuilds(
      () => {
        if (!relaxed) throw new Error('the relaxed-SIMD build was not found');
        return relaxed;
      },
      () => plain,
    );
  } catch (error) {
    const cause = fail(error);
    if (env.kernels === 'wasm') throw new Error(`LOOM_KERNELS=wasm, but the WebAssembly SIMD kernels cannot load: ${cause.message}`);
  }
}

/** The compiled kernel module of this thread (compiled on first use), to pass to workers. */
export function wasmModule(): WasmModule {
  compiled ??= compile();
  return compiled;
}

/**
 * Uses an already compiled kernel module in this thread (a worker receives the main thread's),
 * before the first kernel call.
 * @param module - the compiled kernel module, as `wasmModule()` returns it in another thread;
 *   throws once this thread has instantiated its own
 */
export function setWasmModule(module: WasmModule): void {
  if (instance) throw new Error('setWasmModule: this thread has already instantiated the kernel module');
  compiled = module;
  failure = null;
}

/** Runs `hook` if the kernel module turns out not to load (so kernels go back to JS). */
export function onWasmUnavailable(hook: () => void): void {
  unavailableHooks.push(hook);
}

function instantiate(): WasmKernels {
  const memory = memoryContext().memory.memory;
  const inst = new wasmApi.Instance(wasmModule(), { env: { memory } });
  const exports = inst.exports as unknown as KernelExports;
  return { exports, memory, backend: exports.simdLevel() === 2 ? 'wasm-relaxed-simd' : 'wasm-simd' };
}

/**
 * This thread's kernel instance, instantiated on first use against this thread's memory; null
 * when WebAssembly SIMD is unavailable and LOOM_KERNELS is not 'wasm' (then it throws).
 */
export function wasmKernels(): WasmKernels | null {
  if (instance) return instance;
  if (env.kernels === 'js') return null;
  if (!failure) {
    try {
      instance = instantiate();
      return instance;
    } catch (e) {
      fail(e);
    }
  }
  if (env.kernels === 'wasm') {
    throw new Error(`LOOM_KERNELS=wasm, but the WebAssembly SIMD kernels cannot load: ${failure!.message}`);
  }
  return null;
}

/** Why the WebAssembly kernels did not load in this thread, if they did not. */
export function wasmFailure(): Error | null {
  return failure;
}

/**
 * The byte address of `array[offset]` in the kernels' memory, or -1 when the array is not a
 * float32 (int32 with `int32`) view of that memory (then the caller runs the JS kernel).
 */
export function addressOf(k: WasmKernels, array: TypedArray, offset: number, int32 = false): number {
  if (!(int32 ? array instanceof Int32Array : array instanceof Float32Array)) return -1;
  const buffer = array.buffer;
  if (buffer !== k.memory.buffer && memoryOfBuffer(buffer) !== k.memory) {
    // A view made straight from `memory.buffer`, not through SharedMemory: learn that buffer.
    registerBuffer(k.memory.buffer, k.memory);
    if (memoryOfBuffer(buffer) !== k.memory) return -1;
  }
  return array.byteOffset + offset * 4;
}
