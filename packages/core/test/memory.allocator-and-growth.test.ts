import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Allocator, ALIGNMENT, Arena, SharedMemory, memoryContext, tensor, zeros } from '../src/index.js';

describe('the allocator over the shared memory', () => {
  it('hands out aligned, non-overlapping regions and reuses freed ones, coalescing neighbours', () => {
    const memory = new SharedMemory(undefined, 1 << 16);
    const allocator = new Allocator(memory, 1024, 1 << 30);
    const a = allocator.alloc(100);
    const b = allocator.alloc(10);
    const c = allocator.alloc(200);
    for (const offset of [a, b, c]) expect(offset % ALIGNMENT).toBe(0);
    expect(b).toBeGreaterThanOrEqual(a + 100);
    expect(c).toBeGreaterThanOrEqual(b + 10);
    allocator.release(a);
    allocator.release(b);
    // a and b merged: a request of their combined size fits where a was.
    expect(allocator.alloc(128 + 64)).toBe(a);
    const top = allocator.highWater;
    allocator.release(c);
    expect(allocator.highWater).toBeLessThan(top);
    expect(() => allocator.release(c)).toThrow(/double free/);
  });

  it('20,000 random allocations and releases: aligned, never overlapping, all merged back at the end', () => {
    const allocator = new Allocator(new SharedMemory(undefined, 1 << 16), 128, 1 << 30);
    let seed = 12345;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const live = new Map<number, number>(); // offset → rounded size
    const overlaps = (offset: number, bytes: number): boolean => {
      for (const [o, b] of live) if (offset < o + b && o < offset + bytes) return true;
      return false;
    };
    for (let i = 0; i < 20_000; i++) {
      if (live.size > 0 && random() < 0.45) {
        const offsets = [...live.keys()];
        const offset = offsets[Math.floor(random() * offsets.length)]!;
        allocator.release(offset);
        live.delete(offset);
      } else {
        // Mostly small, sometimes large, as a training loop's tensors are.
        const requested = random() < 0.9 ? 1 + Math.floor(random() * 3000) : 1 + Math.floor(random() * 300_000);
        const offset = allocator.alloc(requested);
        const bytes = Math.ceil(requested / ALIGNMENT) * ALIGNMENT;
        expect(offset % ALIGNMENT).toBe(0);
        expect(offset).toBeGreaterThanOrEqual(128);
        expect(overlaps(offset, bytes)).toBe(false);
        live.set(offset, bytes);
      }
      expect(allocator.bytesInUse).toBe([...live.values()].reduce((a, b) => a + b, 0));
    }
    for (const offset of live.keys()) allocator.release(offset);
    expect(allocator.bytesInUse).toBe(0);
    expect(allocator.highWater).toBe(128); // every free block merged down to the base
  });

  it('grows the memory past its initial size and keeps earlier views valid', () => {
    const memory = new SharedMemory(undefined, 1 << 16);
    const allocator = new Allocator(memory, 0, 1 << 30);
    const first = new Float32Array(memory.buffer, allocator.alloc(16), 4);
    first.set([1, 2, 3, 4]);
    const before = memory.byteLength;
    const big = allocator.alloc(8 << 20);
    expect(memory.byteLength).toBeGreaterThan(before);
    memory.f32[big / 4] = 7; // the whole-memory view was refreshed to reach the new pages
    expect(Array.from(first)).toEqual([1, 2, 3, 4]);
    expect(new Float32Array(memory.buffer, big, 1)[0]).toBe(7);
  });

  it('refuses a region past its limit with a clear error', () => {
    const allocator = new Allocator(new SharedMemory(undefined, 1 << 16), 0, 4096);
    expect(() => allocator.alloc(8192)).toThrow(/out of memory allocating 8192 bytes/);
  });

  it('the arena frees everything after a mark at once and reuses its blocks', () => {
    const memory = new SharedMemory(undefined, 1 << 16);
    const allocator = new Allocator(memory, 0, 1 << 30);
    const arena = new Arena(
      (bytes) => allocator.alloc(bytes),
      () => memory.u8,
    );
    const mark = arena.mark();
    const x = arena.alloc(1000);
    arena.alloc(3 << 20); // a second, larger block
    const hw = allocator.highWater;
    arena.reset(mark);
    expect(arena.alloc(1000)).toBe(x);
    arena.alloc(3 << 20);
    expect(allocator.highWater).toBe(hw);
  });
});

describe('tensors across threads', () => {
  it('a worker given the memory reads and writes the same bytes, without copies', async () => {
    const t = tensor([1, 2, 3, 4]);
    const memory = memoryContext().memory.memory;
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      const view = new Float32Array(workerData.memory.buffer, workerData.byteOffset, 4);
      const sum = view.reduce((a, b) => a + b, 0);
      view[0] = 42;
      parentPort.postMessage(sum);
    `;
    const worker = new Worker(source, { eval: true, workerData: { memory, byteOffset: t.storage.byteOffset } });
    const sum = await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
    await worker.terminate();
    expect(sum).toBe(10);
    expect(t.tolist()).toEqual([42, 2, 3, 4]);
    expect(zeros([2]).storage.memory).toBe(t.storage.memory);
  });
});
