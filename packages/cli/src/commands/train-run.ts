import { basename, resolve } from 'node:path';
import { describeKernels } from '@loom/core';
import {
  type DataParallelTrainer,
  type TableDataset,
  type EpochInfo,
  releaseState,
  StepError,
  type StepInfo,
  StepTimeoutError,
} from '@loom/parallel';
import type { TrainConfig } from '../config.js';
import { ExitCode, TrainingError, UsageError } from '../errors.js';
import type { Reporter, StartEvent } from '../output/events.js';
import { JsonLinesReporter } from '../output/json-lines.js';
import { TerminalReporter } from '../output/progress.js';
import { SilentReporter } from '../output/silent.js';
import { TextReporter } from '../output/text-lines.js';
import { type CheckpointReason, type LoadedCheckpoint, saveCheckpoint } from '../run/checkpoints.js';
import { writeCurvesInBackground } from '../run/curves-file.js';
import { writeJsonAtomic } from '../run/files.js';
import { appendMetrics, rewindMetrics } from '../run/metrics.js';
import { CHECKPOINT_DIR, CONFIG_FILE, RunDir } from '../run/run-dir.js';
import { handleStopRequests, STOP_SIGNALS } from '../signals.js';
import { createTrainer } from '../trainer-setup.js';
import { loadData, splitData } from '../training-data.js';
import type { TrainCommandOptions } from './train.js';

/** A run resolved and locked, ready to load its data and train. */
export interface LockedRun {
  config: TrainConfig;
  runDir: string;
  checkpoint: { path: string; loaded: LoadedCheckpoint } | null;
  options: TrainCommandOptions;
  /** Whether this process reports and writes the run (false on MPI ranks other than 0). */
  primary: boolean;
}

/** Curves are redrawn at most this often during a run (and always at its end). */
const CURVES_EVERY_MS = 10_000;

function createReporter(options: TrainCommandOptions, primary: boolean): Reporter {
  if (!primary) return new SilentReporter();
  switch (options.format) {
    case 'bar':
      return new TerminalReporter();
    case 'text':
      return new TextReporter(options.logEvery ?? 100);
    case 'json':
      return new JsonLinesReporter(options.logEvery ?? 1);
  }
}

/**
 * The training and validation rows, and what the start event says of the data. The whole
 * dataset is not kept: its rows live on in the two subsets, and holding it would double the
 * data's memory for the whole run.
 */
function prepareData(config: TrainConfig): { train: TableDataset; validation: TableDataset | null; summary: StartEvent['data'] } {
  const data = loadData(config);
  const { train, validation } = splitData(data.dataset, config.valSplit, config.seed);
  const summary = {
    path: data.path,
    builtin: data.builtin,
    rows: data.dataset.length,
    train: train.length,
    validation: validation?.length ?? 0,
    features: data.features,
    featureShape: [...data.dataset.featureShape],
    target: data.dataset.targetName,
    classes: data.dataset.numClasses ?? null,
  };
  return { train, validation, summary };
}

/** Loads the data, starts the trainer, restores the checkpoint (on resume) and trains. */
export async function runTraining(run: LockedRun): Promise<number> {
  const { config, options } = run;
  const { train, validation, summary } = prepareData(config);
  const { trainer, parameters, model } = await createTrainer(config, train, options.stepTimeout);
  const reporter = createReporter(options, run.primary);
  let dir: RunDir | null = null;
  // A second signal exits at once: a staged run without a checkpoint goes with it.
  const discardOnExit = (): void => dir?.discard();
  process.on('exit', discardOnExit);
  try {
    let epochsDone = 0;
    if (run.checkpoint !== null) {
      const { state } = run.checkpoint.loaded;
      try {
        await trainer.loadStateDict(state);
      } catch (error) {
        throw new UsageError(`cannot resume from ${run.checkpoint.path}: ${(error as Error).message.replace(/^loadStateDict: /, '')}`);
      } finally {
        releaseState(state);
      }
      epochsDone = Number(state.meta.epoch);
      if (run.primary) {
        dir = RunDir.existing(run.runDir);
        rewindMetrics(dir.path, { step: Number(state.meta.step), epoch: epochsDone, file: run.checkpoint.path });
        writeJsonAtomic(resolve(run.runDir, CONFIG_FILE), config);
      }
    } else if (run.primary) {
      dir = RunDir.create(run.runDir, config);
    }
    const { ranks, workers } = await trainer.placement();
    if (ranks > 1) reporter.notice(`training on ${ranks} MPI ranks × ${workers} worker threads`);
    reporter.start({
      runDir: resolve(run.runDir),
      config,
      data: summary,
      model,
      parameters,
      kernels: describeKernels(),
      resumedFrom: run.checkpoint === null ? null : resolve(run.checkpoint.path),
      epochsDone,
    });
    if (epochsDone >= config.epochs) {
      const epochs = `${epochsDone} epoch${epochsDone === 1 ? '' : 's'}`;
      reporter.notice(`the run has already trained ${epochs}; pass --epochs N with N > ${epochsDone} to train further`);
      return ExitCode.ok;
    }
    return await fitRun(trainer, reporter, { config, dir, train, validation, epochsDone, keep: options.keepCheckpoints });
  } finally {
    reporter.stop();
    await trainer.close();
    // A run that never reached its first checkpoint leaves nothing behind (an old run it was to replace stays).
    dir?.discard();
    process.off('exit', discardOnExit);
  }
}

interface FitRun {
  config: TrainConfig;
  /** The run directory; null on MPI ranks other than 0, which write nothing. */
  dir: RunDir | null;
  train: TableDataset;
  validation: TableDataset | null;
  epochsDone: number;
  keep: number;
}

/** Runs `fit` to the configured epoch count, reporting and checkpointing; a signal or a closed stdout stops it at a step boundary. */
async function fitRun(trainer: DataParallelTrainer, reporter: Reporter, run: FitRun): Promise<number> {
  const { config, dir } = run;
  const started = performance.now();
  const controller = new AbortController();
  const stop = handleStopRequests(
    controller,
    (message) => reporter.notice(message),
    (code) => process.exit(code),
  );
  let stepsRun = 0;
  // The epoch's throughput so far, without the run's first step (worker start-up and warm-up).
  let epochSamples = 0;
  let epochStart = started;
  // The chart being drawn (in a child process), and when the last one started.
  let drawing: Promise<void> = Promise.resolve();
  /** Whether a chart is being drawn: a redraw asked for meanwhile is skipped, not queued. */
  let drawingNow = false;
  let lastCurves = started;
  let last: { valLoss: number | null; valAccuracy: number | null; checkpoint: string | null } = {
    valLoss: null,
    valAccuracy: null,
    checkpoint: null,
  };
  const checkpoint = async (reason: CheckpointReason, valLoss: number | null): Promise<string | null> => {
    // Under MPI every rank takes part in gathering the state; rank 0 alone writes it.
    const state = await trainer.stateDict();
    if (dir === null) {
      releaseState(state);
      return null;
    }
    let file: string;
    try {
      file = basename(await saveCheckpoint(dir.path, state, config, reason, valLoss, run.keep));
    } finally {
      releaseState(state);
    }
    dir.publish();
    const path = resolve(dir.path, CHECKPOINT_DIR, file);
    const event = { path, reason, epoch: Number(state.meta.epoch), step: Number(state.meta.step) };
    reporter.checkpoint(event);
    appendMetrics(dir.path, { event: 'checkpoint', ...event });
    return path;
  };
  /**
   * Redraws curves.svg at most every CURVES_EVERY_MS and never while a chart is being drawn (on a
   * busy machine a chart of a long run can take longer than that, and queued redraws would hold
   * the end of the run); `last` waits for the chart in progress, then draws the final one.
   */
  const curves = async (last: boolean): Promise<void> => {
    if (dir === null || (!last && (drawingNow || performance.now() - lastCurves < CURVES_EVERY_MS))) return;
    lastCurves = performance.now();
    const path = dir.path;
    drawingNow = true;
    drawing = drawing
      .then(() => writeCurvesInBackground(path, dir.final))
      .finally(() => {
        drawingNow = false;
      });
    if (last) await drawing;
  };
  try {
    const result = await trainer.fit(run.train, {
      epochs: config.epochs - run.epochsDone,
      ...(run.validation ? { validation: run.validation } : {}),
      signal: controller.signal,
      onStep: (info: StepInfo) => {
        if (stepsRun++ === 0 && info.batch < info.batches) epochStart = performance.now();
        else epochSamples += info.samples;
        const event = {
          epoch: info.epoch,
          epochs: config.epochs,
          step: info.step,
          batch: info.batch,
          batches: info.batches,
          loss: info.loss,
          lr: info.lr,
          samples: info.samples,
          // The run's first step alone has nothing but itself (warm-up included) to measure.
          samplesPerSecond:
            epochSamples > 0
              ? epochSamples / Math.max((performance.now() - epochStart) / 1000, 1e-9)
              : info.samples / Math.max(info.timings.total / 1000, 1e-9),
          ms: info.timings.total,
          skipped: info.skipped,
        };
        reporter.step(event);
        if (dir) appendMetrics(dir.path, { event: 'step', ...event });
      },
      onEpoch: async (info: EpochInfo) => {
        const event = {
          epoch: info.epoch,
          epochs: config.epochs,
          trainLoss: info.trainLoss,
          valLoss: info.valLoss ?? null,
          valAccuracy: info.valAccuracy ?? null,
          lr: info.lr,
          seconds: info.seconds,
          samplesPerSecond: info.samplesPerSecond,
        };
        reporter.epoch(event);
        if (dir) appendMetrics(dir.path, { event: 'epoch', ...event });
        last = { valLoss: event.valLoss, valAccuracy: event.valAccuracy, checkpoint: await checkpoint('epoch', event.valLoss) };
        await curves(event.epoch === config.epochs);
        [epochSamples, epochStart] = [0, performance.now()];
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const request = stop.request();
    // Under MPI a rank also stops when another rank was asked to (the ranks stop at one step).
    if (result.stopped === 'aborted') {
      const path = await checkpoint('interrupt', null);
      await curves(true);
      reporter.done({
        status: 'interrupted',
        stoppedBy: request?.by ?? 'SIGTERM',
        epochs: result.epoch,
        steps: result.step,
        seconds,
        valLoss: last.valLoss,
        valAccuracy: last.valAccuracy,
        checkpoint: path,
      });
      return request?.exitCode ?? STOP_SIGNALS.SIGTERM;
    }
    reporter.done({ status: 'done', epochs: result.epoch, steps: result.step, seconds, ...last });
    return ExitCode.ok;
  } catch (error) {
    throw classify(error, stepsRun);
  } finally {
    stop.uninstall();
  }
}

/**
 * Before the first step succeeds, a TypeError or RangeError from the loss is the data or model
 * not fitting it (shapes, class indices): the user's input, exit 2. Anything else, and anything
 * later, is training failing: exit 1 (the watchdog, a NaN loss, the model's own error).
 */
function classify(error: unknown, stepsRun: number): Error {
  if (error instanceof UsageError || error instanceof TrainingError) return error;
  if (error instanceof StepTimeoutError) return new TrainingError(`${error.message} (--step-timeout)`, { cause: error });
  const cause = error instanceof StepError && error.modelLocation === null ? error.cause : error;
  if (stepsRun === 0 && (cause instanceof TypeError || cause instanceof RangeError))
    return new UsageError((cause as Error).message, { cause: error });
  return new TrainingError((error as Error).message ?? String(error), { cause: error });
}
