/** The shape of results.json: everything one bench run measured, and on what. */

/** The machine and runtime a run measured. */
export interface MachineInfo {
  host: string;
  platform: string;
  arch: string;
  cpuModel: string;
  /** Logical cores Node reports (`os.availableParallelism()`). */
  cores: number;
  memoryGiB: number;
  /** The 1-minute load average when the run started: above ~0.5 per core, others were busy too. */
  loadAverage: number;
  node: string;
  v8: string;
}

/** One micro-benchmark figure. */
export interface MicroResult {
  /** The suite ('matmul', 'conv2d', 'cross-entropy', 'optimizer', 'all-reduce', 'sync'). */
  suite: string;
  /** What ran, e.g. '256×784·784×256' or 'Adam'. */
  name: string;
  /** Which implementation ran ('wasm-relaxed-simd', 'js', 'tfjs-wasm', …). */
  backend: string;
  /** Worker threads, for the suites that scale over them. */
  workers?: number;
  /** The headline figure and its unit ('GFLOPS', 'ns/param', 'GB/s', 'µs', 'ms'). */
  value: number;
  unit: string;
  /** Median milliseconds of one iteration, and how many iterations were timed. */
  medianMs: number;
  samples: number;
}

/** Median milliseconds of each phase of a training step, as the Loom trainer reports them. */
export interface StepSplit {
  compute: number;
  reduceUpdate: number;
  sync: number;
  total: number;
  /** The 90th percentile of the step's total (absent from results written before it was measured). */
  p90?: number;
}

/** One worker (or thread) count of one system on one workload. */
export interface ScalingPoint {
  workers: number;
  /** Median over the repeated runs. */
  samplesPerSecond: number;
  /** Samples per second of each repeated run, in run order. */
  runs: number[];
  /** Timed steps per run (fewer than the settings' when a slow system hit the time budget). */
  steps: number;
  /** Interquartile range of `runs`. */
  iqr: number;
  /** throughput(N) / (N · throughput(1)) of this system; absent without a one-worker point. */
  efficiency?: number;
  /** Loom only: median step-time split. */
  split?: StepSplit;
  /**
   * Loom only: mean cores kept busy during the timed runs, by this process (the workers and the
   * main thread: about N when N workers ran side by side) and by other processes (machine CPU
   * time less this process's: above ~0.2 the point shared its cores with them).
   */
  cores?: { own: number; others: number };
}

/** A system's result on one workload: measured points, or why there are none. */
export interface SystemRun {
  /**
   * Loom's (`LoomSystem`: 'loom', 'loom-wasm', 'loom-few-chunks'), 'tfjs-cpu', 'tfjs-wasm', 'pytorch', 'pytorch-skylakex',
   * 'pytorch-ddp', 'loom-projected'.
   */
  system: string;
  status: 'ok' | 'skipped' | 'failed';
  /** Why a run was skipped or failed. */
  reason?: string;
  /** Loom's samples per chunk where they are not the workload's (`loom-few-chunks`). */
  microBatch?: number;
  points: ScalingPoint[];
}

/** A canonical workload and every system's result on it. */
export interface WorkloadResult {
  id: string;
  description: string;
  batchSize: number;
  /** Samples per micro-batch, fixed across worker counts. */
  microBatch: number;
  parameters: number;
  systems: SystemRun[];
}

/** A peer framework as found on this machine. */
export interface PeerInfo {
  system: string;
  status: 'ok' | 'skipped' | 'failed';
  /** Versions and configuration (library version, BLAS, thread support). */
  detail: string;
}

/** How a run was configured. */
export interface RunSettings {
  mode: 'quick' | 'full';
  workers: number[];
  /** Epochs (Loom) or steps (peers) run before timing starts. */
  warmupSteps: number;
  /** The warm-up's least length, in milliseconds (absent in runs from before it existed). */
  warmupMs?: number;
  /** Timed steps per run (at least), and runs per point. */
  steps: number;
  /** A fast system's runs went on until they took about this long (absent in runs from before it existed). */
  minRunMs?: number;
  /** The most batches of rows a timed run drew from, in a new order each epoch (absent in runs from before the PyTorch peers drew theirs so). */
  timedBatches?: number;
  repeats: number;
  workloads: string[];
  micro: boolean;
  peers: string[];
}

/** Everything a bench run writes to results.json. */
export interface BenchResults {
  schema: 'loom-bench-v1';
  /** ISO 8601 start time. */
  date: string;
  command: string;
  machine: MachineInfo;
  /** Loom's kernels as they ran, as `describeKernels()` says ('wasm-relaxed-simd + OpenBLAS (core Haswell, 1 thread) for matmul'). */
  kernels: string;
  settings: RunSettings;
  micro: MicroResult[];
  scaling: WorkloadResult[];
  peers: PeerInfo[];
  /** Seconds the whole run took. */
  seconds: number;
}
