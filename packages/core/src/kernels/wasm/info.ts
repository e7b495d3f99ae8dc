import { type KernelPreference, env } from '../../env.js';
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
}

/**
 * The kernel backend of this thread (loading the WebAssembly module if no kernel has yet):
 * 'wasm-relaxed-simd' (fused multiply-add), 'wasm-simd', or 'js' when LOOM_KERNELS=js or the
 * module cannot load. Throws under LOOM_KERNELS=wasm if the module cannot load.
 */
export function kernelInfo(): KernelInfo {
  const wasm = wasmKernels();
  const kernels: Record<string, Backend> = {};
  for (const [name, kernel] of listKernels()) kernels[name] = kernel.backendFor('float32');
  const failure = wasmFailure();
  return {
    backend: wasm ? wasm.backend : 'js',
    preference: env.kernels,
    kernels,
    ...(failure && env.kernels !== 'js' ? { fallbackReason: failure.message } : {}),
  };
}
