import type { DType } from '../dtype.js';
import { env } from '../env.js';
import { recordingTape } from './tape.js';

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

  /**
   * @param name - the kernel's unique name (e.g. 'matmul'), used in errors and `listKernels()`.
   * @param js - the TypeScript reference implementation, used for every dtype and whenever no
   *   other backend applies.
   */
  constructor(
    readonly name: string,
    readonly js: F,
  ) {}

  /**
   * Installs the WebAssembly implementation (float32 only).
   * @param fn - same signature as `js`, run for float32 unless BLAS takes it; null removes it.
   */
  setWasm(fn: F | null): void {
    this.wasm = fn;
  }

  /**
   * Installs the native BLAS implementation (float32 and float64), or removes it with null.
   * @param fn - same signature as `js`, preferred for float32 and float64 when installed.
   */
  setBlas(fn: F | null): void {
    this.blas = fn;
  }

  /**
   * The implementation of one backend, or null where none is installed (for benchmarks and tests).
   * @param backend - 'js' (always there), 'wasm' or 'blas'.
   */
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

  /**
   * The implementation to run for `dtype` under the current `LOOM_KERNELS` preference.
   * @param dtype - the dtype of the data the kernel will run on: BLAS serves float32 and float64,
   *   WebAssembly float32, and the TypeScript reference the rest (and everything with `LOOM_KERNELS=js`).
   *   While `recordKernels` runs, the implementation comes wrapped so that its calls go on the tape.
   */
  select(dtype: DType): F {
    const fn = this.pick(dtype);
    const tape = recordingTape();
    return tape === null ? fn : tape.wrap(fn);
  }

  private pick(dtype: DType): F {
    if (env.kernels === 'js') return this.js;
    if (this.blas && (dtype === 'float32' || dtype === 'float64')) return this.blas;
    if (this.wasm && dtype === 'float32') return this.wasm;
    return this.js;
  }

  /**
   * Which backend `select(dtype)` picks.
   * @param dtype - the dtype of the data, as `select` takes it.
   */
  backendFor(dtype: DType): Backend {
    const fn = this.pick(dtype);
    return fn === this.js ? 'js' : fn === this.blas ? 'blas' : 'wasm';
  }
}

const kernels = new Map<string, Kernel<(...args: never[]) => unknown>>();

/**
 * Declares a kernel with its TypeScript reference implementation.
 * @param name - a name unique among kernels; defining it twice throws.
 * @param js - the TypeScript reference implementation, for every dtype.
 */
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
