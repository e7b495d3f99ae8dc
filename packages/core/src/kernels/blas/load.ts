/**
 * Finds and binds a native CBLAS through koffi. This is the only module of the BLAS backend that
 * touches Node: it reaches `node:module` through `process.getBuiltinModule` at call time (no
 * import statement, so browsers and bundlers that import @loom/core never see Node or koffi) and
 * loads koffi synchronously, so that a thread decides once, before its first matmul, which kernel
 * runs (a backend switching mid-run would change results between otherwise identical runs).
 */
import type { BlasPreference } from '../../env.js';
import { type Koffi, type KoffiLibrary, loadKoffi } from '../../native/koffi.js';

/** Which family of BLAS was loaded (how its threads are pinned and its build is described). */
export type BlasVendor = 'OpenBLAS' | 'MKL' | 'BLIS' | 'Accelerate' | 'CBLAS';

/** What was loaded, as `kernelInfo()` reports it. */
export interface BlasInfo {
  readonly vendor: BlasVendor;
  /** The file or loader name it was loaded from. */
  readonly library: string;
  /** OpenBLAS's kernel family for this processor (`openblas_get_corename`), else null. */
  readonly coreType: string | null;
  /** The library's build description (`openblas_get_config`, BLIS's version), else null. */
  readonly config: string | null;
  /** Whether the library's own thread pool was pinned to one thread (see `pinThreads`). */
  readonly singleThreaded: boolean;
}

/** `?gemm` with every pointer as a byte address (intptr_t): row-major, no transposes' copies. */
export type Gemm = (
  order: number,
  transA: number,
  transB: number,
  M: number,
  N: number,
  K: number,
  alpha: number,
  a: number,
  lda: number,
  b: number,
  ldb: number,
  beta: number,
  c: number,
  ldc: number,
) => void;

/** A loaded CBLAS. */
export interface BlasLibrary {
  readonly info: BlasInfo;
  readonly sgemm: Gemm;
  readonly dgemm: Gemm;
  /** The native address of byte 0 of `buffer` (a WebAssembly memory's buffer). */
  baseAddress(buffer: ArrayBufferLike): number;
}

const GEMM_PARAMETERS = [
  'int',
  'int',
  'int',
  'int',
  'int',
  'int',
  'PARAM',
  'intptr_t',
  'int',
  'intptr_t',
  'int',
  'PARAM',
  'intptr_t',
  'int',
];

/** Where each platform's CBLAS usually is, most wanted first (names go to the dynamic loader). */
function candidates(platform: string): string[] {
  if (platform === 'darwin') {
    return [
      '/System/Library/Frameworks/Accelerate.framework/Accelerate',
      'libopenblas.dylib',
      '/opt/homebrew/opt/openblas/lib/libopenblas.dylib',
      '/usr/local/opt/openblas/lib/libopenblas.dylib',
    ];
  }
  if (platform === 'win32') return ['libopenblas.dll', 'openblas.dll', 'mkl_rt.2.dll', 'mkl_rt.dll'];
  return [
    'libopenblas.so.0',
    'libopenblasp.so.0',
    'libopenblas.so',
    'libmkl_rt.so.2',
    'libmkl_rt.so',
    'libblis.so.4',
    'libblis.so',
    'libcblas.so.3',
    'libcblas.so',
    // Debian's and Fedora's alternatives point this at OpenBLAS, which carries the CBLAS symbols.
    'libblas.so.3',
  ];
}

/** A function of `lib`, or null when the library does not export it. */
function optional(
  lib: KoffiLibrary,
  name: string,
  result: string,
  parameters: readonly string[],
): ((...args: unknown[]) => unknown) | null {
  try {
    return lib.func(name, result, parameters);
  } catch {
    return null;
  }
}

/**
 * Pins the library's own threads to one. Loom runs one matmul per worker thread at a time and
 * already uses every core through its workers; a BLAS that also spread each call over all cores
 * would oversubscribe them (N workers × N BLAS threads) and make timings swing. OpenBLAS, MKL and
 * BLIS have a call for it; Accelerate only BLASSetThreading (macOS 13.3+), else the environment
 * variable VECLIB_MAXIMUM_THREADS=1; a plain CBLAS (netlib, ATLAS) runs on the caller's thread.
 */
function pinThreads(lib: KoffiLibrary, vendor: BlasVendor): boolean {
  switch (vendor) {
    case 'OpenBLAS':
      return call(optional(lib, 'openblas_set_num_threads', 'void', ['int']), 1);
    case 'MKL':
      return call(optional(lib, 'MKL_Set_Num_Threads', 'void', ['int']), 1);
    case 'BLIS':
      return call(optional(lib, 'bli_thread_set_num_threads', 'void', ['int64_t']), 1);
    case 'Accelerate':
      // BLAS_THREADING_SINGLE_THREADED = 1; returns 0 on success.
      return optional(lib, 'BLASSetThreading', 'int', ['int'])?.(1) === 0;
    case 'CBLAS':
      return false;
  }
}

function call(fn: ((...args: unknown[]) => unknown) | null, ...args: unknown[]): boolean {
  if (!fn) return false;
  fn(...args);
  return true;
}

function vendorOf(lib: KoffiLibrary, library: string): BlasVendor {
  if (optional(lib, 'openblas_get_config', 'const char *', [])) return 'OpenBLAS';
  if (optional(lib, 'MKL_Set_Num_Threads', 'void', ['int'])) return 'MKL';
  if (optional(lib, 'bli_info_get_version_str', 'const char *', [])) return 'BLIS';
  if (library.includes('Accelerate.framework')) return 'Accelerate';
  return 'CBLAS';
}

/** Binds `library` (throws why it cannot: not found, or no cblas_sgemm/cblas_dgemm in it). */
function bind(koffi: Koffi, library: string): BlasLibrary {
  let lib: KoffiLibrary;
  try {
    lib = koffi.load(library);
  } catch (error) {
    throw new Error(`${library} cannot be loaded (${(error as Error).message.split('\n')[0]})`);
  }
  const gemm = (name: string, scalar: string): Gemm => {
    try {
      return lib.func(
        name,
        'void',
        GEMM_PARAMETERS.map((p) => (p === 'PARAM' ? scalar : p)),
      ) as unknown as Gemm;
    } catch {
      throw new Error(`${library} has no ${name} (it is not a CBLAS)`);
    }
  };
  const sgemm = gemm('cblas_sgemm', 'float');
  const dgemm = gemm('cblas_dgemm', 'double');
  const vendor = vendorOf(lib, library);
  const text = (name: string): string | null => {
    const value = optional(lib, name, 'const char *', [])?.();
    return typeof value === 'string' ? value.trim() : null;
  };
  const info: BlasInfo = {
    vendor,
    library,
    coreType: vendor === 'OpenBLAS' ? text('openblas_get_corename') : null,
    config: vendor === 'OpenBLAS' ? text('openblas_get_config') : vendor === 'BLIS' ? text('bli_info_get_version_str') : null,
    singleThreaded: pinThreads(lib, vendor),
  };
  return { info, sgemm, dgemm, baseAddress: (buffer) => Number(koffi.address(new Uint8Array(buffer, 0, 1))) };
}

/**
 * Loads the CBLAS that `preference` names: its library, or else the first of this platform's
 * usual ones that loads. Throws, listing each one tried and why it failed, when none does.
 */
export function loadBlas(preference: BlasPreference): BlasLibrary {
  if (preference.mode === 'off') throw new Error('LOOM_BLAS=off');
  const koffi = loadKoffi();
  if (preference.mode === 'library') return bind(koffi, preference.library);
  const failures: string[] = [];
  for (const library of candidates(process.platform)) {
    try {
      return bind(koffi, library);
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  throw new Error(`no CBLAS library was found: ${failures.join('; ')}`);
}
