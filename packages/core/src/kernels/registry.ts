import type { DType } from '../dtype.js';
import { env } from '../env.js';

/** Where a kernel implementation comes from. */
export type Backend = 'js' | 'wasm' | 'blas';

/**
 * A kernel by name: its plain TypeScript reference (every dtype) and, once installed, a float32
 * WebAssembly implementation and a float32/float64 native BLAS one with the same signature (the
 * BLAS one hands small or unaddressable work to the others itself). Ops call `select(dtype)` and
 * never know which one ran; autograd lives in the ops, not here.
 */
export class Kernel<F extends (...args: never[]) => unknown> {
  private wasm: F | null = null;
  private blas: F | null = null;

  constructor(
    readonly name: string,
    readonly js: F,
  ) {}

  /** Installs the WebAssembly implementation (float32 only). */
  setWasm(fn: F | null): void {
    this.wasm = fn;
  }

  /** Installs the native BLAS implementation (float32 and float64), or removes it with null. */
  setBlas(fn: F | null): void {
    this.blas = fn;
  }

  /** The implementation of one backend, or null where none is installed (for benchmarks and tests). */
  implementation(backend: Backend): F | null {
    switch (backend) {
      case 'js':
        return this.js;
      case 'wasm':
        return this.wasm;
      case 'blas':
        return this.blas;
    }
  }

  get hasWasm(): boolean {
    return this.wasm !== null;
  }

  /** The implementation to run for `dtype` under the current `LOOM_KERNELS` preference. */
  select(dtype: DType): F {
    if (env.kernels === 'js') return this.js;
    if (this.blas && (dtype === 'float32' || dtype === 'float64')) return this.blas;
    if (this.wasm && dtype === 'float32') return this.wasm;
    return this.js;
  }

  /** Which backend `select(dtype)` picks. */
  backendFor(dtype: DType): Backend {
    const fn = this.select(dtype);
    return fn === this.js ? 'js' : fn === this.blas ? 'blas' : 'wasm';
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
