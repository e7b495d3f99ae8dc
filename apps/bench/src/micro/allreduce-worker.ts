/**
 * A worker thread of the all-reduce micro-benchmark: it attaches to the main thread's memory and
 * sums its slice of the gradient slots with the same kernel the trainer's workers use.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { attachMemory, setWasmModule, sumSlotsKernel } from '@loom/core';
import type { AllReduceRequest, AllReduceWorkerData } from './allreduce-protocol.js';

const data = workerData as AllReduceWorkerData;
if (data.module) setWasmModule(data.module as Parameters<typeof setWasmModule>[0]);
attachMemory(data.memory, data.regionBase, data.regionBytes);
const buffer = data.memory.buffer;
const sum = sumSlotsKernel.select('float32');

parentPort!.on('message', ({ start, end, reps }: AllReduceRequest) => {
  const n = end - start;
  const dst = new Float32Array(buffer, data.dst + start * 4, n);
  const slots = data.slots.map((offset) => new Float32Array(buffer, offset + start * 4, n));
  for (let r = 0; r < reps; r++) sum(dst, slots);
  parentPort!.postMessage('done');
});
