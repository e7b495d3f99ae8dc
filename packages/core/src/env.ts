/**
 * Loom's environment switches, read in this one place.
 *
 * - `LOOM_KERNELS=js|wasm`: force the plain TypeScript kernels or the WebAssembly ones
 *   (default: WebAssembly where a kernel has one, TypeScript otherwise).
 * - `LOOM_BLAS=off|on|<library>`: the native BLAS backend for matmul (kernels/blas/). Unset or
 *   'auto': use the first CBLAS found, else the WebAssembly kernels; 'off': never load one; 'on':
 *   search as 'auto' but throw if none loads; any other value is the library to load (a path, or a
 *   name for the dynamic loader), and throws if it cannot be loaded.
 * - `LOOM_MALLOC=keep|leave`: whether the first copy of a tensor out of the shared memory asks
 *   glibc's malloc to keep freed heap memory (memory/keep-freed-heap.ts). Unset or 'keep': ask
 *   (Linux with glibc only); 'leave': leave malloc's settings as the process has them.
 */
export type KernelPreference = 'auto' | 'js' | 'wasm';

/** LOOM_BLAS as read at startup. */
export type BlasPreference = { readonly mode: 'auto' | 'off' | 'on' } | { readonly mode: 'library'; readonly library: string };

function readVariable(name: string): string | undefined {
  return typeof process !== 'undefined' ? process.env[name] : undefined;
}

function readKernelPreference(): KernelPreference {
  const value = readVariable('LOOM_KERNELS');
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'js' || value === 'wasm') return value;
  throw new Error(`LOOM_KERNELS must be 'js', 'wasm' or 'auto', not '${value}'`);
}

function readBlasPreference(): BlasPreference {
  const value = readVariable('LOOM_BLAS')?.trim();
  if (value === undefined || value === '' || value === 'auto') return { mode: 'auto' };
  if (value === 'off' || value === 'on') return { mode: value };
  return { mode: 'library', library: value };
}

/** LOOM_MALLOC as read at startup. */
export type MallocPreference = 'keep' | 'leave';

function readMallocPreference(): MallocPreference {
  const value = readVariable('LOOM_MALLOC')?.trim();
  if (value === undefined || value === '' || value === 'keep') return 'keep';
  if (value === 'leave') return value;
  throw new Error(`LOOM_MALLOC must be 'keep' or 'leave', not '${value}'`);
}

/** The environment switches as read at startup. */
export const env = {
  kernels: readKernelPreference(),
  blas: readBlasPreference(),
  malloc: readMallocPreference(),
};
