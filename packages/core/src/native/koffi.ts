/**
 * koffi, the optional FFI through which Loom reaches native libraries (a CBLAS, MPI). It is
 * reached through `process.getBuiltinModule` at call time (no import statement, so browsers and
 * bundlers that import @loom/core never see Node or koffi) and loaded synchronously, from beside
 * @loom/core, so that a thread decides once, before its first use, what it runs.
 */

/** A loaded native library (koffi is an optional dependency: its types are not imported). */
export interface KoffiLibrary {
  /**
   * A JS function calling one C function of the library.
   * @param name - the C symbol
   * @param result - its C return type, in koffi's notation ('int', 'void', …)
   * @param parameters - its C parameter types, in order
   */
  func(name: string, result: string, parameters: readonly string[]): (...args: unknown[]) => unknown;
}

/** The koffi calls Loom uses. */
export interface Koffi {
  /**
   * Opens a shared library.
   * @param path - its file path or soname
   */
  load(path: string): KoffiLibrary;
  /**
   * The native address a pointer value (a buffer, an external) points to.
   * @param value - the pointer value
   */
  address(value: unknown): bigint;
}

let loaded: Koffi | null = null;

/** koffi, loaded once; throws why it cannot be (not Node ≥ 20.16, or koffi not installed). */
export function loadKoffi(): Koffi {
  if (loaded) return loaded;
  const getBuiltin = typeof process !== 'undefined' ? process.getBuiltinModule : undefined;
  if (typeof getBuiltin !== 'function') {
    throw new Error('this runtime is not Node ≥ 20.16 (process.getBuiltinModule is missing), which loading koffi needs');
  }
  const require = getBuiltin('node:module').createRequire(import.meta.url);
  try {
    const koffi = require('koffi') as Koffi & { default?: Koffi };
    loaded = koffi.default ?? koffi;
    return loaded;
  } catch (error) {
    throw new Error(
      `koffi, the optional dependency that loads native libraries, is not installed (${(error as Error).message.split('\n')[0]})`,
    );
  }
}
