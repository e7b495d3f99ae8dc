/**
 * The few WebAssembly JS-API types Loom uses. @types/node does not declare the WebAssembly
 * namespace and the DOM lib would bring browser globals, so they are declared here and the
 * global is read through this module.
 */

/** A `WebAssembly.Memory`. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /**
   * Grows the memory in place, as `WebAssembly.Memory.prototype.grow`; returns the previous size in
   * pages, and throws a RangeError past the declared maximum.
   * @param deltaPages - pages of 64 KiB to add.
   */
  grow(deltaPages: number): number;
}

/** A compiled `WebAssembly.Module`, which can be posted to workers. */
export type WasmModule = object;

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WebAssemblyApi {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  validate(bytes: Uint8Array): boolean;
}

export const wasmApi = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
