import { setFlagsFromString } from 'node:v8';
import type { TypedArray } from '../../dtype.js';
import { env } from '../../env.js';
import { memoryContext } from '../../memory/context.js';
import { memoryOfBuffer, registerBuffer } from '../../memory/shared-memory.js';
import { type WasmMemory, type WasmModule, wasmApi } from '../../memory/wasm-api.js';
import { readKernelBuild } from './locate.js';

/** Which WebAssembly build runs the kernels. */
export type WasmBackend = 'wasm-relaxed-simd' | 'wasm-simd';

/** The functions the kernel module exports (addresses are byte offsets into the memory). */
export interface KernelExports {
  simdLevel(): number;
  matmul(
    M: number, N: number, K: number,
    a: number, aRs: number, aCs: number,
    b: number, bRs: number, bCs: number,
    c: number, accumulate: number, scratch: number,
  ): void;
  matmulScratchBytes(M: number, N: number, K: number): number;
  binary2d(op: number, rows: number, cols: number, out: number, a: number, aRs: number, aCs: number, b: number, bRs: number, bCs: number): void;
  sgd(
    n: number, param: number, grad: number, buf: number,
    lr: number, momentum: number, dampening: number, weightDecay: number, nesterov: number, maximize: number, first: number,
  ): void;
  adam(
    n: number, param: number, grad: number, expAvg: number, expAvgSq: number, maxSq: number,
    beta1: number, beta2: number, eps: number, weightDecay: number, decay: number, maximize: number,
    stepSize: number, bc2Sqrt: number,
  ): void;
  rmsprop(
    n: number, param: number, grad: number, squareAvg: number, gradAvg: number, buf: number,
    lr: number, alpha: number, eps: number, weightDecay: number, momentum: number, maximize: number,
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
    src: number, sc: number, sy: number, sx: number,
    channels: number, height: number, width: number, kernelH: number, kernelW: number,
    strideH: number, strideW: number, padH: number, padW: number, dilationH: number, dilationW: number, outH: number, outW: number,
    dst: number,
  ): void;
  col2im(
    src: number,
    channels: number, height: number, width: number, kernelH: number, kernelW: number,
    strideH: number, strideW: number, padH: number, padW: number, dilationH: number, dilationW: number, outH: number, outW: number,
    dst: number,
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

/**
 * Compiles the relaxed-SIMD build where the runtime accepts it (Node 20 only behind a V8 flag,
 * which is set here before validating), the plain SIMD build otherwise.
 */
function compile(): WasmModule {
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
    const relaxed = readKernelBuild('kernels-relaxed.wasm');
    if (wasmApi.validate(relaxed)) return new wasmApi.Module(relaxed);
  } catch {
    // Fall through to the plain SIMD build.
  }
  const plain = readKernelBuild('kernels.wasm');
  if (!wasmApi.validate(plain)) throw new Error('this runtime does not support WebAssembly SIMD');
  return new wasmApi.Module(plain);
}

/** The compiled kernel module of this thread (compiled on first use), to pass to workers. */
export function wasmModule(): WasmModule {
  compiled ??= compile();
  return compiled;
}

/**
 * Uses an already compiled kernel module in this thread (a worker receives the main thread's),
 * before the first kernel call.
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
      failure = e instanceof Error ? e : new Error(String(e));
      for (const hook of unavailableHooks) hook();
    }
  }
  if (env.kernels === 'wasm') {
    throw new Error(`LOOM_KERNELS=wasm, but the WebAssembly SIMD kernels cannot load: ${failure.message}`);
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
