/**
 * BatchNorm in the data-parallel trainer. A training-mode forward normalises with its own
 * micro-batch's statistics, so a chunk's output and gradient never depend on which worker runs
 * it or on the running statistics. Only the running statistics depend on order: every replica
 * records each chunk's batch statistics into that chunk's slot here (its `statisticsSink`), and
 * after the step's chunks are done the statistics are tracked chunk 0, 1, 2, … in order —
 * exactly what one thread running the chunks one after another computes, whatever the number of
 * workers. (PyTorch's DistributedDataParallel instead normalises with each process's batch and
 * keeps the running statistics of process 0; SyncBatchNorm all-reduces the statistics of the
 * whole batch.)
 */
import { BatchNorm, type BatchStatistics, type Module, type SharedMemory } from '@loom/core';

/** Where each BatchNorm's record sits in a chunk's slot. */
export interface StatisticsLayout {
  /** Each BatchNorm that tracks running statistics, by module path, in module order. */
  readonly norms: readonly { path: string; channels: number; offset: number }[];
  /** float64 values per chunk slot: per norm a count (0: it did not run in the chunk), C means, C biased variances. */
  readonly stride: number;
}

/** The BatchNorms of `model` that track running statistics, with their paths. */
function trackingNorms(model: Module): [string, BatchNorm][] {
  return model.namedModules().filter((e): e is [string, BatchNorm] => e[1] instanceof BatchNorm && e[1].trackRunningStats);
}

/** Where each tracking BatchNorm of `model` records into a chunk's slot, in module order. */
export function planStatistics(model: Module): StatisticsLayout {
  let stride = 0;
  const norms = trackingNorms(model).map(([path, norm]) => {
    const entry = { path, channels: norm.numFeatures, offset: stride };
    stride += 1 + 2 * norm.numFeatures;
    return entry;
  });
  return { norms, stride };
}

/**
 * A worker's side: its replica's BatchNorms record into the shared slots of the chunk it runs
 * (`begin`), and it tracks its share of the norms over a step's chunks in order (`track`).
 */
export class ChunkStatistics {
  private readonly values: Float64Array;
  private readonly norms: BatchNorm[];
  private slot = 0;

  constructor(
    model: Module,
    memory: SharedMemory,
    byteOffset: number,
    chunks: number,
    private readonly layout: StatisticsLayout,
  ) {
    this.values = new Float64Array(memory.buffer, byteOffset, chunks * layout.stride);
    const found = trackingNorms(model);
    if (found.length !== layout.norms.length || found.some(([path], i) => path !== layout.norms[i]!.path)) {
      throw new Error(
        "model replica does not match the trainer's model: its BatchNorms differ (a model module must build the same architecture every time)",
      );
    }
    this.norms = found.map(([path, norm], i) => {
      const { offset, channels } = layout.norms[i]!;
      norm.statisticsSink = (s) => this.record(path, offset, channels, s);
      return norm;
    });
  }

  /** Starts chunk `chunk`'s forward: its slot is cleared, and the BatchNorms record into it. */
  begin(chunk: number): void {
    this.slot = chunk * this.layout.stride;
    for (const { offset } of this.layout.norms) this.values[this.slot + offset] = 0;
  }

  private record(path: string, offset: number, channels: number, s: BatchStatistics): void {
    const at = this.slot + offset;
    if (this.values[at] !== 0) {
      throw new Error(
        `BatchNorm '${path}' ran twice in one micro-batch's forward; the data-parallel trainer tracks one batch of statistics per BatchNorm and micro-batch (use a BatchNorm per call)`,
      );
    }
    this.values[at] = s.count;
    this.values.set(s.mean, at + 1);
    this.values.set(s.variance, at + 1 + channels);
  }

  /**
   * Tracks the recorded statistics of chunks 0 … chunks−1, in chunk order, into the shared running
   * statistics: norm i by worker i mod workers (each norm's chain is independent of the others').
   * Call after every chunk of the step is done and before the next step's chunks begin.
   */
  track(chunks: number, worker: number, workers: number): void {
    const { stride } = this.layout;
    for (let i = worker; i < this.norms.length; i += workers) {
      const { offset, channels } = this.layout.norms[i]!;
      for (let c = 0; c < chunks; c++) {
        const at = c * stride + offset;
        const count = this.values[at]!;
        if (count === 0) continue;
        this.norms[i]!.trackStatistics({
          count,
          mean: this.values.subarray(at + 1, at + 1 + channels),
          variance: this.values.subarray(at + 1 + channels, at + 1 + 2 * channels),
        });
      }
    }
  }
}
