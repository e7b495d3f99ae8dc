import { memoryContext, type Module, Storage, Tensor } from '@loom/core';
import type { OptimizerState } from '../optimizer/optimizer-state.js';
import type { SharedBuffers } from '../protocol/shared-buffers.js';

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

const FORMAT = 'loom-trainer-v1';

function stateBuffer(setup: Stateful, offset: number): Tensor {
  const P = setup.buffers.layout.length;
  return new Tensor(Storage.view(memoryContext().memory, offset, P, 'float32'), [P]);
}

/**
 * Copies of the model weights (`model.<name>`) and of every optimizer state buffer
 * (`optimizer.<buffer>`), with the position, the optimizer's step/scalar state and options and the
 * scheduler's state as JSON. The data order depends only on (seed, epoch), so this is all a
 * resumed run needs to continue bit-exactly.
 */
export function saveState(setup: Stateful, position: Position): TrainerState {
  const tensors: Record<string, Tensor> = {};
  for (const [name, p] of setup.model.namedParameters()) tensors[`model.${name}`] = p.clone();
  for (const [name, offset] of Object.entries(setup.buffers.state)) tensors[`optimizer.${name}`] = stateBuffer(setup, offset).clone();
  return { tensors, meta: { format: FORMAT, ...position, optimizer: setup.optimizer.stateDict() } };
}

/** Writes a saved state into the shared buffers; returns the position to continue from. */
export function loadState(setup: Stateful, state: TrainerState): Position {
  const meta = state.meta;
  if (meta['format'] !== FORMAT) throw new Error(`loadStateDict: not a Loom trainer state (format ${String(meta['format'])})`);
  for (const [name, p] of setup.model.namedParameters()) {
    const t = state.tensors[`model.${name}`];
    if (!t) throw new Error(`loadStateDict: missing weights for ${name}`);
    if (t.numel !== p.numel) throw new Error(`loadStateDict: ${name} has ${t.numel} values, the model needs ${p.numel}`);
    (p.data() as Float32Array).set(t.contiguous().to('float32').data());
  }
  for (const [name, offset] of Object.entries(setup.buffers.state)) {
    const t = state.tensors[`optimizer.${name}`];
    const target = stateBuffer(setup, offset);
    if (!t || t.numel !== target.numel) throw new Error(`loadStateDict: missing or mis-sized optimizer buffer ${name}`);
    (target.data() as Float32Array).set(t.contiguous().to('float32').data());
  }
  setup.optimizer.loadStateDict(meta['optimizer'] as Record<string, unknown>);
  return { epoch: Number(meta['epoch']), batchInEpoch: Number(meta['batchInEpoch']), step: Number(meta['step']) };
}
