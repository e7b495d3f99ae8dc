/**
 * Loom's environment switches, read in this one place.
 *
 * - `LOOM_KERNELS=js|wasm`: force the plain TypeScript kernels or the WebAssembly ones
 *   (default: WebAssembly where a kernel has one, TypeScript otherwise).
 */
export type KernelPreference = 'auto' | 'js' | 'wasm';

function readKernelPreference(): KernelPreference {
  const value = typeof process !== 'undefined' ? process.env['LOOM_KERNELS'] : undefined;
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'js' || value === 'wasm') return value;
  throw new Error(`LOOM_KERNELS must be 'js', 'wasm' or 'auto', not '${value}'`);
}

/** The environment switches as read at startup. */
export const env = {
  kernels: readKernelPreference(),
};
