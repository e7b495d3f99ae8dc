import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Tensor, env, kernelInfo, memoryContext, wasmModule } from '../src/index.js';
import { addressOf, wasmKernels } from '../src/kernels/wasm/module.js';

const wasmOn = env.kernels !== 'js';

/** The ids of a WebAssembly binary's sections, in order. */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  let p = 8;
  while (p < bytes.length) {
    const id = bytes[p++]!;
    let size = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[p++]!;
      size |= (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) break;
    }
    ids.push(id);
    p += size;
  }
  return ids;
}

describe('kernelInfo', () => {
  it('reports the preference, the backend and each kernel', () => {
    const info = kernelInfo();
    expect(info.preference).toBe(env.kernels);
    if (env.kernels === 'js') {
      expect(info.backend).toBe('js');
      expect(Object.values(info.kernels).every((b) => b === 'js')).toBe(true);
    } else {
      expect(info.backend).toMatch(/^wasm-(relaxed-)?simd$/);
      for (const name of ['binary', 'sgd', 'adam', 'rmsprop', 'adagrad', 'sumSlots']) {
        expect(info.kernels[name], name).toBe('wasm');
      }
      expect(info.kernels['matmul']).toBe(info.blas ? 'blas' : 'wasm');
    }
  });
});

describe.skipIf(!wasmOn)('the kernel module in shared memory', () => {
  it.each(['kernels.wasm', 'kernels-relaxed.wasm'])(
    '%s has no data segments, globals or start function (nothing at a fixed address)',
    (file) => {
      const bytes = new Uint8Array(readFileSync(new URL(`../wasm/${file}`, import.meta.url)));
      const ids = sectionIds(bytes);
      // 6 global, 8 start, 11 data, 12 data count; 5 would be a memory of its own.
      for (const id of [5, 6, 8, 11, 12]) expect(ids, `section ${id}`).not.toContain(id);
      expect(ids).toContain(2);
    },
  );

  it('addresses tensors made before and after the memory grows', () => {
    const k = wasmKernels()!;
    const before = Tensor.empty([16], 'float32');
    const arrayBefore = before.storage.array();
    const big = Tensor.empty([8 * 1024 * 1024], 'float32');
    const after = Tensor.empty([16], 'float32');
    expect(addressOf(k, arrayBefore, 3)).toBe(before.storage.byteOffset + 12);
    expect(addressOf(k, after.storage.array(), 0)).toBe(after.storage.byteOffset);
    expect(addressOf(k, new Float32Array(16), 0)).toBe(-1);
    expect(addressOf(k, Tensor.empty([4], 'float64').storage.array(), 0)).toBe(-1);
    expect(big.numel).toBe(8 * 1024 * 1024);
  });

  it('is instantiated by another thread against the same memory, without copies', async () => {
    const memory = memoryContext().memory;
    const n = 1000;
    const slots = [0, 1, 2].map(() => Tensor.empty([n], 'float32'));
    slots.forEach((t, s) => (t.data() as Float32Array).set(Array.from({ length: n }, (_, i) => i * (s + 1))));
    const dst = Tensor.empty([n], 'float32');
    const table = Tensor.empty([64 + 2 * 256], 'float32');
    new Uint32Array(memory.buffer, table.storage.byteOffset, 3).set(slots.map((t) => t.storage.byteOffset));
    const code = `
      const { parentPort, workerData: w } = require('node:worker_threads');
      const inst = new WebAssembly.Instance(w.module, { env: { memory: w.memory } });
      inst.exports.sumSlots(w.n, w.dst, w.table, 3, w.table + 64);
      parentPort.postMessage('done');`;
    const worker = new Worker(code, {
      eval: true,
      workerData: { module: wasmModule(), memory: memory.memory, n, dst: dst.storage.byteOffset, table: table.storage.byteOffset },
    });
    await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    const out = dst.data();
    expect(out[0]).toBe(0);
    expect(out[999]).toBe(999 * 6);
  });
});
