/**
 * koffi, the optional FFI that reaches MPI: loaded synchronously on first use, from beside this
 * package, so that a machine without it (or without MPI) runs single-process exactly as before.
 */
import { createRequire } from 'node:module';

/** The koffi calls Loom uses (koffi is optional: its types are not imported). */
export interface KoffiLibrary {
  func(name: string, result: string, parameters: readonly string[]): (...args: unknown[]) => unknown;
}
export interface Koffi {
  load(path: string): KoffiLibrary;
  address(value: unknown): bigint;
}

let koffi: Koffi | null = null;

/** koffi, or an error saying it is not installed. */
export function loadKoffi(): Koffi {
  if (koffi) return koffi;
  try {
    const module = createRequire(import.meta.url)('koffi') as Koffi & { default?: Koffi };
    koffi = module.default ?? module;
    return koffi;
  } catch (error) {
    throw new Error(`koffi, the optional dependency that loads native libraries, is not installed (${(error as Error).message.split('\n')[0]})`);
  }
}
