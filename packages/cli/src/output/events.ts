import type { TrainConfig } from '../config.js';

/** What `loom train` reports as it starts: the resolved config and what it resolved to. */
export interface StartEvent {
  runDir: string;
  config: TrainConfig;
  data: {
    path: string;
    builtin: boolean;
    rows: number;
    train: number;
    validation: number;
    features: string[];
    featureShape: number[];
    target: string;
    classes: number | null;
  };
  /** The model as built, e.g. `mlp 784,256,128,10` (sizes inferred from the data for `mlp`). */
  model: string;
  parameters: number;
  /**
   * The kernels of the main thread, as `describeKernels()` says (the workers load the same): the
   * WebAssembly build, and the native BLAS and its OpenBLAS core type where matmul runs on one.
   */
  kernels: string;
  /** The checkpoint resumed from, and the epochs it had completed. */
  resumedFrom: string | null;
  epochsDone: number;
}

/** After each optimizer step; epochs and batches count from 1. */
export interface StepEvent {
  epoch: number;
  epochs: number;
  /** Optimizer steps taken, over all epochs, including this one. */
  step: number;
  batch: number;
  batches: number;
  loss: number;
  lr: number;
  samples: number;
  /** Throughput of this epoch so far (without the run's first step: worker start-up and warm-up). */
  samplesPerSecond: number;
  ms: number;
  /** The loss was not finite and the step was skipped (`--on-nan skip`). */
  skipped: boolean;
}

/** After each epoch (and its validation). */
export interface EpochEvent {
  epoch: number;
  epochs: number;
  trainLoss: number;
  valLoss: number | null;
  valAccuracy: number | null;
  /** The learning rate the epoch trained with. */
  lr: number;
  seconds: number;
  samplesPerSecond: number;
}

/** After a checkpoint is on disk. */
export interface CheckpointEvent {
  path: string;
  reason: 'epoch' | 'interrupt';
  /** Completed epochs and steps taken at the checkpoint. */
  epoch: number;
  step: number;
}

/** At the end of `loom train`. */
export interface DoneEvent {
  status: 'done' | 'interrupted';
  /** What stopped an interrupted run: SIGINT, SIGTERM, SIGHUP, or a closed stdout (EPIPE). */
  stoppedBy?: string;
  epochs: number;
  steps: number;
  seconds: number;
  valLoss: number | null;
  valAccuracy: number | null;
  checkpoint: string | null;
}

/** Where `loom train` sends its events: a progress bar and summaries on a terminal, or JSON Lines. */
export interface Reporter {
  start(event: StartEvent): void;
  step(event: StepEvent): void;
  epoch(event: EpochEvent): void;
  checkpoint(event: CheckpointEvent): void;
  done(event: DoneEvent): void;
  /** A line for people (a notice); JSON output carries it as a `notice` event. */
  notice(message: string): void;
  /** Stops any progress bar, e.g. before an error is printed. */
  stop(): void;
}
