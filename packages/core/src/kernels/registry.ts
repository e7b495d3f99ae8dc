import type { DType } from '../dtype.js';
import { env } from '../env.js';

/** Where a kernel implementation comes from. */
export type Backend = 'js' | 'wasm';

/**
 * A kernel by name: its plain TypeScript reference (every dtype) and, once the WebAssembly module
 * has registered one, a float32 WebAssembly implementation with the same signature. Ops call
 * `select(dtype)` and never know which one ran; autograd lives in the ops, not here.
 */
export class Kernel<F extends (...args: never[]) => unknown> {
  private wasm: F | null = null;

  constructor(
    readonly name: string,
    readonly js: F,
  ) {}

  /** Installs the WebAssembly implementation (float32 only). */
  setWasm(fn: F | null): void {
    this.wasm = fn;
  }

  get hasWasm(): boolean {
    return this.wasm !== null;
  }

  /** The implementation to run for `dtype` under the current `LOOM_KERNELS` preference. */
  select(dtype: DType): F {
    if (this.wasm && dtype === 'float32' && env.kernels !== 'js') return this.wasm;
    return this.js;
  }

  /** Which backend `select(dtype)` picks. */
  backendFor(dtype: DType): Backend {
    return this.select(dtype) === this.js ? 'js' : 'wasm';
  }
}

const kernels = new Map<string, Kernel<(...args: never[]) => unknown>>();

/** Declares a kernel with its TypeScript reference implementation. */
export function defineKernel<F extends (...args: never[]) => unknown>(name: string, js: F): Kernel<F> {
  if (kernels.has(name)) throw new Error(`kernel '${name}' is defined twice`);
  const kernel = new Kernel(name, js);
  kernels.set(name, kernel as unknown as Kernel<(...args: never[]) => unknown>);
  return kernel;
}

/** Every defined kernel, by name. */
export function listKernels(): ReadonlyMap<string, Kernel<(...args: never[]) => unknown>> {
  return kernels;
}
