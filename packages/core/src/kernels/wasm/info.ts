import { type KernelPreference, env } from '../../env.js';
import { blasFailure, blasLibrary, describeBlasPreference } from '../blas/library.js';
import type { BlasInfo } from '../blas/load.js';
import { type Backend, listKernels } from '../registry.js';
import { type WasmBackend, wasmFailure, wasmKernels } from './module.js';

/** Which kernels run float32 work in this thread, as `loom` reports it. */
export interface KernelInfo {
  /** The WebAssembly build in use, or 'js' when only the TypeScript kernels run. */
  readonly backend: WasmBackend | 'js';
  /** LOOM_KERNELS as read at startup ('auto' when unset). */
  readonly preference: KernelPreference;
  /** Each kernel by name: which implementation float32 tensors get. */
  readonly kernels: Readonly<Record<string, Backend>>;
  /** Why the WebAssembly kernels are not in use under 'auto', if they failed to load. */
  readonly fallbackReason?: string;
  /** The native BLAS that runs matmul above its size threshold, or null when none does. */
  readonly blas: BlasInfo | null;
  /** LOOM_BLAS as read at startup ('auto' when unset, else 'off', 'on' or the library named). */
  readonly blasPreference: string;
  /** Why no BLAS is in use under LOOM_BLAS=auto, if none loaded. */
  readonly blasFallbackReason?: string;
}

/**
 * The kernel backend of this thread (loading the WebAssembly module and the BLAS if no kernel has
 * yet): 'wasm-relaxed-simd' (fused multiply-add), 'wasm-simd', or 'js' when LOOM_KERNELS=js or the
 * module cannot load; and the BLAS behind matmul, if any. Throws under LOOM_KERNELS=wasm if the
 * module cannot load, and under LOOM_BLAS=on or LOOM_BLAS=<library> if that BLAS cannot.
 */
export function kernelInfo(): KernelInfo {
  const wasm = wasmKernels();
  const blas = blasLibrary();
  const kernels: Record<string, Backend> = {};
  for (const [name, kernel] of listKernels()) kernels[name] = kernel.backendFor('float32');
  const failure = wasmFailure();
  const blasMissing = blasFailure();
  return {
    backend: wasm ? wasm.backend : 'js',
    preference: env.kernels,
    kernels,
    ...(failure && env.kernels !== 'js' ? { fallbackReason: failure.message } : {}),
    blas: blas ? blas.info : null,
    blasPreference: describeBlasPreference(),
    ...(blasMissing ? { blasFallbackReason: blasMissing.message } : {}),
  };
}

/**
 * One line for logs: the WebAssembly build, then the BLAS behind matmul, e.g.
 * 'wasm-relaxed-simd + OpenBLAS (core Cooperlake, 1 thread) for matmul'.
 * @param info - what to describe (default: this thread's `kernelInfo()` now).
 */
export function describeKernels(info: KernelInfo = kernelInfo()): string {
  const b = info.blas;
  if (b) {
    const details = [b.coreType ? `core ${b.coreType}` : null, b.singleThreaded ? '1 thread' : 'its own threads'].filter((d) => d !== null);
    return `${info.backend} + ${b.vendor} (${details.join(', ')}) for matmul`;
  }
  if (info.blasPreference === 'off') return `${info.backend} (LOOM_BLAS=off)`;
  if (info.backend === 'js' && info.preference === 'js') return 'js (LOOM_KERNELS=js)';
  return `${info.backend} (no BLAS found)`;
}
