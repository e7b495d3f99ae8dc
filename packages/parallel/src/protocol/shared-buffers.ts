import { type Module, Parameter, type SharedMemory, Storage, Tensor } from '@loom/core';
import type { StatisticsLayout } from './chunk-statistics.js';
import type { BufferLayout } from './module-buffers.js';
import type { ParamLayout } from './param-layout.js';

/**
 * Byte offsets of everything the trainer keeps in the shared memory. Structured-clonable: it is
 * what workers receive, and every thread builds its typed-array views from it.
 */
export interface SharedBuffers {
  readonly layout: ParamLayout;
  /** The flat float32 parameter vector. */
  readonly params: number;
  /** `slotCount` gradient slots of `layout.length` floats each, back to back. */
  readonly slots: number;
  readonly slotCount: number;
  /** Where each worker's block of slots starts (see gradient-fold.ts). */
  readonly slotBases: readonly number[];
  /**
   * Per-element optimizer state buffers, by name, over `stateRange` of the layout only: element i
   * of the vector is at float `i - stateRange[0]` (under MPI, each rank holds the state of its own
   * range, the slices its workers update; one process holds all of it).
   */
  readonly state: Readonly<Record<string, number>>;
  /** The range [start, end) of the flat vector the state buffers hold. */
  readonly stateRange: readonly [number, number];
  /** The model's buffers (BatchNorm's running statistics), laid out as the parameters. */
  readonly moduleBuffers: number;
  readonly bufferLayout: BufferLayout;
  /** One slot of BatchNorm batch statistics per chunk of a step (see chunk-statistics.ts). */
  readonly statistics: number;
  readonly statisticsLayout: StatisticsLayout;
}

/** Float32 view of `length` elements at a byte offset of the shared memory. */
export function floatView(memory: SharedMemory, byteOffset: number, length: number): Float32Array {
  return new Float32Array(memory.buffer, byteOffset, length);
}

/** Float32 view of the elements [start, end) of the vector in the state buffer at `offset` (which holds `stateRange`). */
export function stateView(memory: SharedMemory, buffers: SharedBuffers, offset: number, start: number, end: number): Float32Array {
  const [from, to] = buffers.stateRange;
  if (start < from || end > to) {
    throw new RangeError(`optimizer state: elements [${start}, ${end}) lie outside this process's range [${from}, ${to})`);
  }
  return floatView(memory, offset + (start - from) * 4, end - start);
}

/** Each parameter of `model` with the dotted name of the layout and the module that owns it. */
export function ownedParameters(model: Module): { name: string; owner: Module; key: string; param: Parameter }[] {
  const out: { name: string; owner: Module; key: string; param: Parameter }[] = [];
  const visit = (m: Module, prefix: string): void => {
    for (const [key, param] of m.namedOwnParameters()) out.push({ name: prefix + key, owner: m, key, param });
    for (const [name, child] of m.namedChildren()) visit(child, `${prefix}${name}.`);
  };
  visit(model, '');
  return out;
}

/**
 * Replaces every parameter of `model` by a view of the shared flat vector at its layout offset,
 * after checking that the model has exactly the layout's parameters. With `copyValues`, the
 * model's current values are first copied into the shared vector (done once, by the main thread,
 * to publish the seeded initialisation).
 */
export function bindParameters(model: Module, memory: SharedMemory, buffers: SharedBuffers, copyValues: boolean): Parameter[] {
  const owned = ownedParameters(model);
  const entries = buffers.layout.entries;
  if (owned.length !== entries.length || owned.some((o, i) => o.name !== entries[i]!.name)) {
    throw new Error(
      `model replica does not match the trainer's model: parameters [${owned.map((o) => o.name).join(', ')}] ` +
        `vs [${entries.map((e) => e.name).join(', ')}] (a model module must build the same architecture every time)`,
    );
  }
  return owned.map(({ owner, key, param }, i) => {
    const entry = entries[i]!;
    if (param.numel !== entry.numel)
      throw new Error(`model replica: parameter ${entry.name} has ${param.numel} elements, expected ${entry.numel}`);
    const byteOffset = buffers.params + entry.offset * 4;
    const storage = Storage.view(memory, byteOffset, entry.numel, 'float32');
    if (copyValues) (storage.array() as Float32Array).set(param.contiguous().to('float32').data());
    const bound = new Parameter(new Tensor(storage, entry.shape));
    (owner as unknown as Record<string, unknown>)[key] = bound;
    return bound;
  });
}

/** The view of gradient slot `slot` for each parameter, in layout order. */
export function slotGradients(memory: SharedMemory, buffers: SharedBuffers, slot: number): Tensor[] {
  const base = buffers.slots + slot * buffers.layout.length * 4;
  return buffers.layout.entries.map((e) => new Tensor(Storage.view(memory, base + e.offset * 4, e.numel, 'float32'), e.shape));
}
