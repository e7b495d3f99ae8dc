/**
 * Chunk replay: how a steady-state chunk makes no JS garbage. A chunk's forward and backward
 * build tensors and an autograd graph in JS, but the work itself is a fixed list of kernel calls
 * on fixed addresses (parameters, the chunk's slot, the arena, which hands out the same offsets
 * each time). So a worker records that list once per chunk shape (core's `KernelTape`), checks
 * it, and from then on runs chunks of that shape by copying the rows into the recorded batch and
 * replaying the list.
 *
 * The check, before a recording is used: a second chunk of the shape, with other rows, must make
 * exactly the same calls (so nothing depends on the data), and replaying them for that chunk —
 * with the arena's bytes and the slot first overwritten by NaNs — must give the bits the normal
 * run gave, loss and gradients (so every byte the chunk reads was written by a recorded kernel,
 * not by JS). Models whose chunk JS cannot be replayed (dropout draws its mask in JS, BatchNorm
 * records statistics in JS, an op that writes memory outside the kernels) fail the check and run
 * normally, as does everything with the trainer's `replaySteps: false`.
 */
import { type ArenaMark, KernelTape, memoryContext, type Module, recordKernels, type TypedArray } from '@loom/core';
import { gatherRows, type RowIndices } from '../data/batch.js';
import type { TableDataset } from '../data/dataset.js';
import type { ParamLayout } from '../protocol/param-layout.js';
import { generatorOf } from './seeds.js';

/** Checks that may fail before a chunk shape is run normally for good (tapes that differ). */
const ATTEMPTS = 3;
/** Chunk shapes recorded at most per worker (slots × two batch sizes is the usual count). */
const MAX_SHAPES = 32;
const POISON = 0xff;

/** What makes two chunks replayable by one tape: the slot they write, how, and the batch's shape. */
interface ChunkShape {
  readonly slot: number;
  readonly overwrite: boolean;
  readonly rows: number;
  readonly normalizer: number;
}

/** A recorded chunk: its tape and the arrays replay fills and reads. */
interface Recording {
  readonly tape: KernelTape;
  readonly features: TypedArray;
  readonly targets: TypedArray;
  /** The chunk's summed loss, as the loss tensor's bytes. */
  readonly loss: TypedArray;
  /** Slot gradients of parameters the chunk does not reach: zeroed (overwrite) after a replay. */
  readonly unreached: readonly TypedArray[];
  readonly start: ArenaMark;
  readonly end: ArenaMark;
}

/** A chunk shape as `ChunkReplay.shape` hands it out: opaque to its callers. */
export type ChunkEntry = Readonly<ChunkShape>;

interface Entry extends ChunkShape {
  state: 'candidate' | 'verified' | 'normal';
  recording: Recording | null;
  failures: number;
}

/** Where a chunk's normal run reports what replay needs. */
export interface ChunkCapture {
  /** Called inside the chunk's arena scope: the batch's features and targets, and the summed loss's bytes. */
  batch(features: TypedArray, targets: TypedArray, loss: TypedArray): void;
  /** Called at the end: the slot gradients of parameters the chunk did not reach (it zeroed them). */
  unreached(gradients: TypedArray[]): void;
}

/** A chunk's normal run, reporting to `capture` when given; returns the chunk's summed loss. */
export type RecordedChunk = (capture: ChunkCapture | null) => number;

/** Whether `model`'s chunks can be replayed at all: no module draws random numbers. */
export function replayable(model: Module): boolean {
  return model.modules().every((m) => generatorOf(m) === null);
}

/** A worker's recorded chunk shapes. */
export class ChunkReplay {
  private readonly entries: Entry[] = [];

  /**
   * @param slotOf - slot `slot` as one float32 view of the whole gradient vector
   * @param layout - where the parameters lie in it (the padding between them is never compared)
   */
  constructor(
    private readonly slotOf: (slot: number) => Float32Array,
    private readonly layout: ParamLayout,
  ) {}

  /**
   * The entry of a chunk shape, made on first sight (null once there are too many shapes): what
   * `replayInto` and `run` take. Finding it allocates nothing.
   * @param slot - the slot the chunk's gradients go to
   * @param overwrite - whether they overwrite it (else add to it)
   * @param rows - the chunk's rows
   * @param normalizer - what the chunk's summed loss is divided by before backward
   */
  shape(slot: number, overwrite: boolean, rows: number, normalizer: number): ChunkEntry | null {
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (e.slot === slot && e.overwrite === overwrite && e.rows === rows && e.normalizer === normalizer) return e;
    }
    if (entries.length >= MAX_SHAPES) return null;
    const e: Entry = { slot, overwrite, rows, normalizer, state: 'candidate', recording: null, failures: 0 };
    entries.push(e);
    return e;
  }

  /**
   * Runs a chunk of `shape` by replay when its recording passed the check, writing its summed
   * loss to `losses[at]`; false (nothing done) otherwise. Makes no garbage.
   * @param shape - the chunk's entry, from `shape()`
   * @param dataset - the rows' dataset
   * @param indices - the step's sample indices; the chunk takes [from, to)
   */
  replayInto(
    shape: ChunkEntry,
    dataset: TableDataset,
    indices: RowIndices,
    from: number,
    to: number,
    losses: Float64Array,
    at: number,
  ): boolean {
    const e = shape as Entry;
    if (e.state !== 'verified') return false;
    losses[at] = this.replay(e.recording!, dataset, indices, from, to);
    return true;
  }

  /**
   * Runs a chunk normally, recording and checking it while its shape is a candidate (see the file's
   * comment). Returns its summed loss.
   */
  run(shape: ChunkEntry, dataset: TableDataset, indices: RowIndices, from: number, to: number, chunk: RecordedChunk): number {
    const e = shape as Entry;
    if (e.state !== 'candidate') return chunk(null);
    const before = e.overwrite ? null : this.slotOf(e.slot).slice();
    const { recording, loss } = record(chunk);
    const previous = e.recording;
    e.recording = recording;
    if (previous === null) return loss;
    if (previous.tape.sameAs(recording.tape) && this.check(e, recording, before, loss, dataset, indices, from, to)) {
      e.state = 'verified';
    } else if (++e.failures >= ATTEMPTS) {
      e.state = 'normal';
      e.recording = null;
    }
    return loss;
  }

  /** Copies the chunk's rows into the recorded batch, replays, zeroes unreached gradients. */
  private replay(r: Recording, dataset: TableDataset, indices: RowIndices, from: number, to: number): number {
    gatherRows(dataset, indices, from, to, r.features, r.targets);
    r.tape.replay();
    const unreached = r.unreached;
    for (let i = 0; i < unreached.length; i++) unreached[i]!.fill(0);
    return r.loss[0]!;
  }

  /**
   * Whether replaying `r` on the chunk just run normally gives its bits, from NaN-filled
   * temporaries (and slot, when the chunk overwrites it). Leaves the normal run's gradients in the slot.
   */
  private check(
    e: Entry,
    r: Recording,
    before: Float32Array | null,
    loss: number,
    dataset: TableDataset,
    indices: RowIndices,
    from: number,
    to: number,
  ): boolean {
    const slot = this.slotOf(e.slot);
    const normal = slot.slice();
    memoryContext().arena.fillBetween(r.start, r.end, POISON);
    if (before === null) new Uint8Array(slot.buffer, slot.byteOffset, slot.byteLength).fill(POISON);
    else slot.set(before);
    const replayed = this.replay(r, dataset, indices, from, to);
    const same = Object.is(replayed, loss) && this.layout.entries.every((p) => sameBits(slot, normal, p.offset, p.offset + p.numel));
    slot.set(normal);
    return same;
  }
}

/** Runs the chunk normally while recording its kernels and the arrays replay needs. */
function record(chunk: RecordedChunk): { recording: Recording; loss: number } {
  const tape = new KernelTape();
  const arena = memoryContext().arena;
  const start = arena.mark();
  // Backward frees its temporaries before the chunk ends: the chunk's bytes reach the peak, not the end.
  arena.watchPeak();
  let batch: Pick<Recording, 'features' | 'targets' | 'loss'> | null = null;
  let unreached: TypedArray[] | null = null;
  const loss = recordKernels(tape, () =>
    chunk({
      batch: (features, targets, lossBytes) => (batch = { features, targets, loss: lossBytes }),
      unreached: (gradients) => (unreached = gradients),
    }),
  );
  if (batch === null || unreached === null) throw new Error('chunk replay: the chunk did not report its batch, loss and gradients');
  return { recording: { tape, start, end: arena.peak(), unreached, ...(batch as Pick<Recording, 'features' | 'targets' | 'loss'>) }, loss };
}

/** Whether two float32 arrays hold the same bits in [from, to) (NaN payloads and signed zeros included). */
function sameBits(a: Float32Array, b: Float32Array, from: number, to: number): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = from; i < to; i++) if (x[i] !== y[i]) return false;
  return true;
}
