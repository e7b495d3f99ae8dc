import { Worker } from 'node:worker_threads';
import { kernelInfo, memoryContext, sumSlotsKernel, wasmModule } from '@loom/core';
import type { MicroResult } from '../report/types.js';
import type { AllReduceRequest, AllReduceWorkerData } from './allreduce-protocol.js';
import { measure, type MeasureSettings } from './measure.js';

/** The all-reduce case: `slots` gradient slots (one per micro-batch) of `length` float32 values. */
export interface AllReduceCase {
  length: number;
  slots: number;
}

/** 1M parameters reduced over 16 micro-batch slots, the scaling study's chunk count. */
export const ALL_REDUCE_CASE: AllReduceCase = { length: 1 << 20, slots: 16 };

const SCRATCH_BYTES = 1 << 20;

function bytesMoved(c: AllReduceCase): number {
  return (c.slots + 1) * c.length * 4;
}

function caseName(c: AllReduceCase): string {
  const size = c.length >= 2 ** 20 ? `${c.length / 2 ** 20}M` : c.length >= 1024 ? `${c.length / 1024}K` : String(c.length);
  return `${c.slots} slots × ${size} float32`;
}

/**
 * The gradient all-reduce (summing the micro-batch slots in the trainer's fixed tree order) in
 * GB/s of slot bytes read plus result bytes written: the TypeScript reference and the selected
 * kernel on one thread, then the selected kernel split over 1…N worker threads in slices, as the
 * trainer's workers split it (each iteration includes posting to and hearing from them).
 */
export async function allReduceSuite(
  settings: MeasureSettings,
  workerCounts: readonly number[],
  c = ALL_REDUCE_CASE,
): Promise<MicroResult[]> {
  const ctx = memoryContext();
  const allocated: number[] = [];
  const alloc = (bytes: number): number => {
    const offset = ctx.allocator.alloc(bytes);
    allocated.push(offset);
    return offset;
  };
  const slotOffsets = Array.from({ length: c.slots }, () => alloc(c.length * 4));
  const dstOffset = alloc(c.length * 4);
  const buffer = ctx.memory.buffer;
  const slots = slotOffsets.map((o) => new Float32Array(buffer, o, c.length));
  for (const s of slots) for (let i = 0; i < s.length; i++) s[i] = Math.random() - 0.5;
  const dst = new Float32Array(buffer, dstOffset, c.length);
  const backend = kernelInfo().backend;
  const results: MicroResult[] = [];
  const record = (impl: string, workers: number, r: { medianMs: number; samples: number }): void => {
    results.push({
      suite: 'all-reduce',
      name: caseName(c),
      backend: impl,
      workers,
      value: bytesMoved(c) / (r.medianMs * 1e6),
      unit: 'GB/s',
      ...r,
    });
  };
  if (backend !== 'js') record('js', 1, await measure('all-reduce js', () => sumSlotsKernel.js(dst, slots), settings));
  record(backend, 1, await measure(`all-reduce ${backend}`, () => sumSlotsKernel.select('float32')(dst, slots), settings));
  for (const n of workerCounts.filter((w) => w > 1)) {
    const pool = startWorkers(n, (): AllReduceWorkerData => ({
      memory: ctx.memory.memory,
      module: backend === 'js' ? null : wasmModule(),
      regionBase: alloc(SCRATCH_BYTES),
      regionBytes: SCRATCH_BYTES,
      dst: dstOffset,
      slots: slotOffsets,
      length: c.length,
    }));
    // Slices start on 16-value boundaries so each stays 64-byte aligned, as the trainer's do.
    const bound = (k: number): number => (k === n ? c.length : Math.floor((c.length * k) / n / 16) * 16);
    const round = (): Promise<unknown> => Promise.all(pool.map((w, i) => w.run({ start: bound(i), end: bound(i + 1), reps: 1 })));
    try {
      await round();
      record(backend, n, await measure(`all-reduce ${backend} ×${n}`, round, settings));
    } finally {
      await Promise.all(pool.map((w) => w.worker.terminate()));
    }
  }
  for (const offset of allocated) ctx.allocator.release(offset);
  return results;
}

/** A worker thread that answers one request at a time. */
interface ReduceWorker {
  worker: Worker;
  run(request: AllReduceRequest): Promise<void>;
}

function startWorkers(n: number, data: () => AllReduceWorkerData): ReduceWorker[] {
  return Array.from({ length: n }, () => {
    const worker = new Worker(new URL('./allreduce-worker.js', import.meta.url), { workerData: data() });
    let pending: { resolve: () => void; reject: (e: Error) => void } | null = null;
    worker.on('message', () => pending?.resolve());
    worker.on('error', (e) => pending?.reject(e));
    return {
      worker,
      run: (request) =>
        new Promise<void>((resolve, reject) => {
          pending = { resolve, reject };
          worker.postMessage(request);
        }),
    };
  });
}
