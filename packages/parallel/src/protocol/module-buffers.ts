import { BatchNorm, formatShape, type Module, type SharedMemory, Storage, Tensor } from '@loom/core';
import { type ParamEntry, planLayout } from './param-layout.js';

/** Where one module buffer sits in the shared buffer vector, and its element type. */
export interface BufferEntry extends ParamEntry {
  readonly dtype: 'float32' | 'int32';
  /** Whether `stateDict` (and so a checkpoint) holds it, as PyTorch's `persistent`. */
  readonly persistent: boolean;
}

/** The model's buffers packed as the parameters are (PARAM_ALIGN boundaries); 4-byte elements. */
export interface BufferLayout {
  readonly entries: readonly BufferEntry[];
  readonly length: number;
}

interface OwnedBuffer {
  name: string;
  owner: Module;
  key: string;
  tensor: Tensor;
  persistent: boolean;
}

/** Each buffer of `model` with its dotted name (as `namedBuffers`), the module that owns it and its key there. */
function ownedBuffers(model: Module): OwnedBuffer[] {
  const out: OwnedBuffer[] = [];
  for (const [path, owner] of model.namedModules()) {
    for (const [key, { tensor, persistent }] of owner.namedOwnBufferSlots()) {
      if (tensor) out.push({ name: path ? `${path}.${key}` : key, owner, key, tensor, persistent });
    }
  }
  return out;
}

/**
 * Refuses buffers the trainer cannot keep in step across worker replicas. BatchNorm's running
 * statistics it can: each micro-batch's statistics are recorded and tracked in chunk order (see
 * chunk-statistics.ts). Any other module may change its buffers in `forward` in ways the
 * trainer cannot replay, so each replica would drift on its own chunks.
 */
export function checkModelBuffers(model: Module, what: string): void {
  const others = ownedBuffers(model).filter((b) => !(b.owner instanceof BatchNorm));
  if (others.length === 0) return;
  throw new Error(
    `${what} returned a model with buffers the data-parallel trainer cannot keep in step across its worker replicas ` +
      `(${others.map((b) => `${b.name} of ${b.owner.constructor.name}`).join(', ')}): it keeps BatchNorm's running statistics ` +
      'and no other buffers. Hold a constant as a plain tensor property of the module (built by every replica), not a buffer, ' +
      'or train the model in one thread with @loom/core and @loom/optim.',
  );
}

/** The shared layout of `model`'s buffers: float buffers as float32 (as the parameters), int32 ones as int32. */
export function planBufferLayout(model: Module): BufferLayout {
  const owned = ownedBuffers(model);
  const { entries, length } = planLayout(owned.map(({ name, tensor }) => ({ name, shape: tensor.shape })));
  return {
    entries: entries.map((entry, i) => {
      const { tensor, persistent } = owned[i]!;
      const dtype = tensor.dtype === 'int32' ? 'int32' : tensor.dtype === 'float32' || tensor.dtype === 'float64' ? 'float32' : null;
      if (dtype === null)
        throw new Error(`model buffer ${entry.name} has dtype ${tensor.dtype}; the trainer keeps float and int32 buffers`);
      return { ...entry, dtype, persistent };
    }),
    length,
  };
}

/** The view of one buffer at its layout offset of the shared buffer vector at byte `base`. */
export function bufferView(memory: SharedMemory, base: number, entry: BufferEntry): Tensor {
  return new Tensor(Storage.view(memory, base + entry.offset * 4, entry.numel, entry.dtype), entry.shape);
}

/**
 * Replaces every buffer of `model` by a view of the shared buffer vector at byte `base`, after
 * checking that the model has exactly the layout's buffers. With `copyValues`, the model's current
 * values are first copied in (done once, by the main thread). Every replica then reads and
 * tracks the same running statistics, and the main thread's model sees them.
 */
export function bindModuleBuffers(model: Module, memory: SharedMemory, base: number, layout: BufferLayout, copyValues: boolean): void {
  const owned = ownedBuffers(model);
  const entries = layout.entries;
  if (owned.length !== entries.length || owned.some((o, i) => o.name !== entries[i]!.name)) {
    throw new Error(
      `model replica does not match the trainer's model: buffers [${owned.map((o) => o.name).join(', ')}] ` +
        `vs [${entries.map((e) => e.name).join(', ')}] (a model module must build the same architecture every time)`,
    );
  }
  owned.forEach(({ owner, key, tensor, persistent }, i) => {
    const entry = entries[i]!;
    if (tensor.numel !== entry.numel) {
      throw new Error(`model replica: buffer ${entry.name} has shape ${formatShape(tensor.shape)}, expected ${formatShape(entry.shape)}`);
    }
    const view = bufferView(memory, base, entry);
    if (copyValues) view.data().set(tensor.contiguous().to(entry.dtype).data());
    owner.registerBuffer(key, view, persistent);
  });
}

/** Gives every buffer of `model` storage of its own again (copies of the shared values). */
export function unbindModuleBuffers(model: Module, copy: (t: Tensor) => Tensor): void {
  for (const { owner, key, tensor, persistent } of ownedBuffers(model)) owner.registerBuffer(key, copy(tensor), persistent);
}
