import { type BlasPreference, env } from '../../env.js';
import { type BlasLibrary, loadBlas } from './load.js';

let library: BlasLibrary | null = null;
let failure: Error | null = null;
let tried = false;
const unavailableHooks: (() => void)[] = [];

/** LOOM_BLAS as the user wrote it, for messages and `kernelInfo()`. */
export function describeBlasPreference(preference: BlasPreference = env.blas): string {
  return preference.mode === 'library' ? preference.library : preference.mode;
}

/** Runs `hook` if this thread finds no BLAS (so the kernels it had go back to WebAssembly). */
export function onBlasUnavailable(hook: () => void): void {
  unavailableHooks.push(hook);
}

/**
 * This thread's CBLAS, loaded on first use (each worker thread loads its own: koffi's functions
 * belong to the thread that bound them). Null when LOOM_BLAS=off, LOOM_KERNELS=js, or under
 * 'auto' when none loads; throws when LOOM_BLAS=on or names a library and it cannot be loaded,
 * since a forced backend must never fall back silently.
 */
export function blasLibrary(): BlasLibrary | null {
  if (library) return library;
  if (env.blas.mode === 'off' || env.kernels === 'js') return null;
  if (!tried) {
    tried = true;
    try {
      library = loadBlas(env.blas);
      return library;
    } catch (e) {
      failure = e instanceof Error ? e : new Error(String(e));
      // A forced BLAS keeps its kernel installed, so that every matmul throws, not just the first.
      if (env.blas.mode === 'auto') for (const hook of unavailableHooks) hook();
    }
  }
  if (env.blas.mode !== 'auto') {
    throw new Error(
      `LOOM_BLAS=${describeBlasPreference()}, but no BLAS could be loaded: ${failure!.message}. ` +
        'Install one (Debian: apt-get install libopenblas0-pthread), fix the path, or unset LOOM_BLAS.',
    );
  }
  return null;
}

/** Why this thread has no BLAS under LOOM_BLAS=auto, if it looked for one and found none. */
export function blasFailure(): Error | null {
  return failure;
}
