import type { DType, TypedArray } from '../dtype.js';
import { type WasmMemory, wasmApi } from './wasm-api.js';

const PAGE_BYTES = 65536;
/** wasm32 can address 4 GiB: 65536 pages. Shared memories must declare a maximum. */
const MAX_PAGES = 65536;

/**
 * The memory behind each buffer a SharedMemory handed out. A shared memory's `buffer` is a new
 * SharedArrayBuffer object after every growth, while views made before stay valid, so the
 * WebAssembly kernels look a view's buffer up here to know that they can address it.
 */
const bufferOwners = new WeakMap<ArrayBufferLike, WasmMemory>();

/** Records that `buffer` is (one of the buffer objects of) `memory`. */
export function registerBuffer(buffer: ArrayBufferLike, memory: WasmMemory): void {
  bufferOwners.set(buffer, memory);
}

/** The memory whose buffer `buffer` is, if a SharedMemory or a kernel has seen it. */
export function memoryOfBuffer(buffer: ArrayBufferLike): WasmMemory | undefined {
  return bufferOwners.get(buffer);
}

/**
 * One shared `WebAssembly.Memory` and whole-memory views of it for each dtype.
 *
 * Every tensor's storage is a region of this memory, and the same memory is handed to every
 * worker thread and imported by the WebAssembly kernels, so all of them see the same bytes.
 * A shared memory grows in place: typed arrays made before a growth stay valid over their old
 * range, but the whole-memory views must be remade to reach the new pages, which `views()` does
 * whenever the buffer has grown (possibly in another thread).
 */
export class SharedMemory {
  readonly memory: WasmMemory;
  private viewsByteLength = -1;
  private f32View!: Float32Array;
  private f64View!: Float64Array;
  private i32View!: Int32Array;
  private u8View!: Uint8Array;

  /**
   * @param memory - an existing shared `WebAssembly.Memory` to wrap (a worker's view of the main
   *   thread's); absent: a new shared memory with a 4 GiB maximum.
   * @param initialBytes - the size of a new memory, rounded up to whole 64 KiB pages (default
   *   16 MiB); unused when `memory` is given.
   */
  constructor(memory?: WasmMemory, initialBytes = 16 * 1024 * 1024) {
    this.memory =
      memory ??
      new wasmApi.Memory({
        initial: Math.ceil(initialBytes / PAGE_BYTES),
        maximum: MAX_PAGES,
        shared: true,
      });
    this.refresh();
  }

  /** The SharedArrayBuffer currently backing the memory. */
  get buffer(): SharedArrayBuffer {
    const buffer = this.memory.buffer;
    bufferOwners.set(buffer, this.memory);
    return buffer as unknown as SharedArrayBuffer;
  }

  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * Grows the memory so that it holds at least `bytes` bytes.
   * @param bytes - the size needed, in bytes; past 4 GiB it throws a RangeError. Growth is by at
   *   least an eighth of the current size.
   */
  ensure(bytes: number): void {
    const have = this.byteLength;
    if (bytes <= have) return;
    const needed = Math.ceil((bytes - have) / PAGE_BYTES);
    if (have / PAGE_BYTES + needed > MAX_PAGES) {
      throw new RangeError(`Loom memory: cannot grow to ${bytes} bytes (the limit is 4 GiB)`);
    }
    // Grow by an eighth at least: every growth remakes the views and the buffer object that the
    // kernels look up, so a memory that creeps up page by page pays for it on every allocation.
    const pages = Math.min(Math.max(needed, Math.ceil(have / PAGE_BYTES / 8)), MAX_PAGES - have / PAGE_BYTES);
    try {
      this.memory.grow(pages);
    } catch (error) {
      if (pages === needed) throw error;
      this.memory.grow(needed);
    }
    this.refresh();
  }

  private refresh(): void {
    const buffer = this.memory.buffer;
    bufferOwners.set(buffer, this.memory);
    this.viewsByteLength = buffer.byteLength;
    this.f32View = new Float32Array(buffer);
    this.f64View = new Float64Array(buffer);
    this.i32View = new Int32Array(buffer);
    this.u8View = new Uint8Array(buffer);
  }

  private current(): void {
    if (this.memory.buffer.byteLength !== this.viewsByteLength) this.refresh();
  }

  get f32(): Float32Array {
    this.current();
    return this.f32View;
  }
  get f64(): Float64Array {
    this.current();
    return this.f64View;
  }
  get i32(): Int32Array {
    this.current();
    return this.i32View;
  }
  get u8(): Uint8Array {
    this.current();
    return this.u8View;
  }

  /**
   * The whole-memory view for a dtype; element index = byteOffset / bytesPerElement.
   * @param dtype - float32 → Float32Array, float64 → Float64Array, int32 → Int32Array, bool → Uint8Array.
   */
  view(dtype: DType): TypedArray {
    switch (dtype) {
      case 'float32':
        return this.f32;
      case 'float64':
        return this.f64;
      case 'int32':
        return this.i32;
      case 'bool':
        return this.u8;
    }
  }
}
