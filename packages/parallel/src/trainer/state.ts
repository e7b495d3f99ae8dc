import { formatShape, memoryContext, type Module, type Shape, Tensor } from '@loom/core';
import type { OptimizerState } from '../optimizer/optimizer-state.js';
import { bufferView } from '../protocol/module-buffers.js';
import type { ParamLayout } from '../protocol/param-layout.js';
import { type SharedBuffers, stateView } from '../protocol/shared-buffers.js';
import { readV1OptimizerBuffer, V1_FORMAT } from './state-v1.js';

/**
 * The part of a trainer's setup that holds state. (Not the setup itself: its pool's type would
 * pull piscina's declarations into this public module's.)
 */
interface Stateful {
  model: Module;
  buffers: SharedBuffers;
  optimizer: OptimizerState;
}

/** Everything needed to resume: tensors for safetensors, and JSON metadata. */
export interface TrainerState {
  tensors: Record<string, Tensor>;
  meta: Record<string, unknown>;
}

/** Where training stands: epochs done, batches done in the current epoch, steps taken. */
export interface Position {
  epoch: number;
  batchInEpoch: number;
  step: number;
}

/** What else a state must agree on to continue the same run: the data order and the batch cut depend on these. */
export interface RunIdentity {
  seed: number;
  batchSize: number;
}

const FORMAT = 'loom-trainer-v2';

/**
 * PyTorch's name of an optimizer state buffer: `expAvgSq` → `exp_avg_sq`.
 * @param buffer - a Loom state buffer name, camelCase ('expAvgSq', 'momentumBuffer')
 */
export function pytorchBufferName(buffer: string): string {
  return buffer.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * The key of one parameter's optimizer buffer in a saved state: `optimizer.0.weight.exp_avg`.
 * @param param - the parameter's name in the model, as `namedParameters()` gives it ('0.weight')
 * @param buffer - the optimizer state buffer, Loom's camelCase name ('expAvg'), written in PyTorch's snake_case
 */
export function optimizerKey(param: string, buffer: string): string {
  return `optimizer.${param}.${pytorchBufferName(buffer)}`;
}

/**
 * Copies of one optimizer state buffer (`flat`: the whole vector, `layout.length` floats), one
 * tensor per parameter with the parameter's shape, under their keys in a saved state.
 */
export function optimizerBufferTensors(layout: ParamLayout, buffer: string, flat: Float32Array): Record<string, Tensor> {
  const tensors: Record<string, Tensor> = {};
  for (const entry of layout.entries) {
    const t = Tensor.empty(entry.shape, 'float32');
    (t.data() as Float32Array).set(flat.subarray(entry.offset, entry.offset + entry.numel));
    tensors[optimizerKey(entry.name, buffer)] = t;
  }
  return tensors;
}

/**
 * The copies of `optimizerBufferTensors` for every state buffer, from this process's own buffers,
 * which must hold the whole vector (one process, or one rank; under several ranks gather them).
 */
export function localOptimizerTensors(buffers: SharedBuffers): Record<string, Tensor> {
  const P = buffers.layout.length;
  const tensors: Record<string, Tensor> = {};
  for (const [buffer, offset] of Object.entries(buffers.state))
    Object.assign(tensors, optimizerBufferTensors(buffers.layout, buffer, stateView(memoryContext().memory, buffers, offset, 0, P)));
  return tensors;
}

/** Writes one parameter's optimizer state values into the part of it this process holds (its range). */
function writeStateEntry(
  buffers: SharedBuffers,
  offset: number,
  entry: SharedBuffers['layout']['entries'][number],
  values: Float32Array,
): void {
  const [from, to] = buffers.stateRange;
  const start = Math.max(from, entry.offset);
  const end = Math.min(to, entry.offset + entry.numel);
  if (start >= end) return;
  stateView(memoryContext().memory, buffers, offset, start, end).set(values.subarray(start - entry.offset, end - entry.offset));
}

/** The view of one module buffer in the shared buffer vector. */
function moduleBufferView(buffers: SharedBuffers, entry: SharedBuffers['bufferLayout']['entries'][number]): Tensor {
  return bufferView(memoryContext().memory, buffers.moduleBuffers, entry);
}

/**
 * Copies of the model weights and persistent buffers (`model.<name>`, PyTorch's state-dict names:
 * `model.1.running_mean`, `model.1.num_batches_tracked`), the optimizer state buffers per
 * parameter (`optimizer`: `optimizer.<name>.<buffer>`, PyTorch's buffer names, the parameter's
 * shape, as `optimizerBufferTensors` makes them from the whole state), with the
 * position, seed and batch size, the optimizer's step/scalar state and options and the
 * scheduler's state as JSON. The data order depends only on (seed, epoch), so this is all a
 * resumed run needs to continue bit-exactly. Nothing here depends on how the trainer pads its
 * flat buffers, so a saved state outlives any change of alignment.
 */
export function saveState(setup: Stateful, position: Position, identity: RunIdentity, optimizer: Record<string, Tensor>): TrainerState {
  const tensors: Record<string, Tensor> = {};
  for (const [name, p] of setup.model.namedParameters()) tensors[`model.${name}`] = p.clone();
  for (const entry of setup.buffers.bufferLayout.entries) {
    if (entry.persistent) tensors[`model.${entry.name}`] = moduleBufferView(setup.buffers, entry).clone();
  }
  Object.assign(tensors, optimizer);
  return { tensors, meta: { format: FORMAT, ...position, ...identity, optimizer: setup.optimizer.stateDict() } };
}

/**
 * Gives the memory of a state's tensors (the copies `stateDict` made, or tensors read from a file)
 * back to the shared memory now. A checkpoint every epoch otherwise holds its copies until the
 * garbage collector happens to run their finalizers, which it rarely does: their JS objects are
 * tiny, the memory they hold is not, and WebAssembly memory never shrinks. Reading the tensors
 * afterwards throws.
 * @param state - the state whose tensors to free; its `meta` stays readable
 */
export function releaseState(state: TrainerState): void {
  for (const t of Object.values(state.tensors)) t.storage.release();
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Writes a saved state into the shared buffers; returns the position to continue from. Every
 * tensor must have its parameter's exact shape (a transposed weight of the same size is refused),
 * no tensor may be left over, and a state from another seed or batch size is refused: it would
 * continue a different run. Reads today's format and `loom-trainer-v1` (flat padded buffers).
 */
export function loadState(setup: Stateful, state: TrainerState, identity: RunIdentity): Position {
  const meta = state.meta;
  const format = meta['format'];
  if (format !== FORMAT && format !== V1_FORMAT) throw new Error(`loadStateDict: not a Loom trainer state (format ${String(format)})`);
  for (const key of ['seed', 'batchSize'] as const) {
    if (meta[key] !== undefined && meta[key] !== identity[key]) {
      throw new Error(
        `loadStateDict: the state was saved with ${key} ${String(meta[key])}, this trainer has ${key} ${identity[key]}; it would not continue the same run`,
      );
    }
  }
  const used = new Set<string>();
  const take = (key: string, what: string): Tensor => {
    const t = state.tensors[key];
    if (!t) throw new Error(`loadStateDict: missing ${what} (no tensor '${key}')`);
    used.add(key);
    return t;
  };
  for (const [name, p] of setup.model.namedParameters()) {
    const t = take(`model.${name}`, `weights for ${name}`);
    if (!sameShape(t.shape, p.shape)) {
      throw new Error(`loadStateDict: ${name} has shape ${formatShape(t.shape)} in the state, the model's is ${formatShape(p.shape)}`);
    }
    (p.data() as Float32Array).set(t.contiguous().to('float32').data());
  }
  for (const entry of setup.buffers.bufferLayout.entries) {
    if (!entry.persistent) continue;
    const t = take(`model.${entry.name}`, `buffer ${entry.name}`);
    if (!sameShape(t.shape, entry.shape)) {
      throw new Error(
        `loadStateDict: ${entry.name} has shape ${formatShape(t.shape)} in the state, the model's is ${formatShape(entry.shape)}`,
      );
    }
    moduleBufferView(setup.buffers, entry).data().set(t.contiguous().to(entry.dtype).data());
  }
  for (const [buffer, offset] of Object.entries(setup.buffers.state)) {
    if (format === V1_FORMAT) {
      const flat = take(`optimizer.${buffer}`, `optimizer buffer ${buffer}`);
      for (const entry of setup.buffers.layout.entries)
        writeStateEntry(setup.buffers, offset, entry, readV1OptimizerBuffer(flat, setup.buffers.layout, entry, buffer));
      continue;
    }
    for (const entry of setup.buffers.layout.entries) {
      const key = optimizerKey(entry.name, buffer);
      const t = take(key, `optimizer buffer ${pytorchBufferName(buffer)} of ${entry.name}`);
      if (!sameShape(t.shape, entry.shape)) {
        throw new Error(
          `loadStateDict: ${key} has shape ${formatShape(t.shape)} in the state, the parameter's is ${formatShape(entry.shape)}`,
        );
      }
      writeStateEntry(setup.buffers, offset, entry, t.contiguous().to('float32').data() as Float32Array);
    }
  }
  const extra = Object.keys(state.tensors).filter((k) => !used.has(k));
  if (extra.length > 0) {
    throw new Error(
      `loadStateDict: the state holds ${extra.join(', ')}, which this model and optimizer do not have (a state of another model or optimizer?)`,
    );
  }
  setup.optimizer.loadStateDict(meta['optimizer'] as Record<string, unknown>);
  return { epoch: Number(meta['epoch']), batchInEpoch: Number(meta['batchInEpoch']), step: Number(meta['step']) };
}
