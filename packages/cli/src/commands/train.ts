import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeKernels } from '@loom/core';
import { type DataParallelTrainer, type TableDataset, type EpochInfo, StepError, type StepInfo } from '@loom/parallel';
import { readConfigFile } from '../config-file.js';
import { type ParsedFlags, flagsToConfig } from '../config-flags.js';
import { type TrainConfig, defaultTrainConfig, mergeTrainConfig, validateTrainConfig } from '../config.js';
import { ExitCode, TrainingError, UsageError } from '../errors.js';
import type { Reporter } from '../output/events.js';
import { JsonLinesReporter } from '../output/json-lines.js';
import { TerminalReporter } from '../output/progress.js';
import { resolvePath } from '../paths.js';
import {
  CONFIG_FILE,
  appendMetrics,
  checkRunDirFree,
  createRunDir,
  defaultRunDir,
  latestCheckpoint,
  loadCheckpoint,
  readRunConfig,
  saveCheckpoint,
  writeJsonAtomic,
} from '../run-dir.js';
import { createTrainer } from '../trainer-setup.js';
import { loadData, splitData } from '../training-data.js';

/** What `loom train` takes besides the config flags. */
export interface TrainCommandOptions {
  flags: ParsedFlags;
  configFile: string | undefined;
  out: string | undefined;
  overwrite: boolean;
  /** `--resume` alone (true: the run in `--out`) or `--resume DIR`. */
  resume: string | boolean | undefined;
  json: boolean;
}

/** Settings that may change when a run is resumed; any other change would break exact resumption. */
const RESUMABLE_CHANGES = new Set(['epochs', 'workers']);

interface ResolvedRun {
  config: TrainConfig;
  runDir: string;
  /** The checkpoint to resume from, or null for a new run. */
  checkpoint: string | null;
}

/** Resolves config and run directory: defaults < config file < flags, or the saved run < flags on resume. */
function resolveRun(options: TrainCommandOptions): ResolvedRun {
  const fileLayer = options.configFile !== undefined ? readConfigFile(resolvePath(options.configFile)) : {};
  const flagLayer = flagsToConfig(options.flags);
  if (options.resume === undefined || options.resume === false) {
    const config = mergeTrainConfig(defaultTrainConfig(), fileLayer, flagLayer);
    validateTrainConfig(config);
    const runDir = options.out ?? defaultRunDir();
    checkRunDirFree(runDir, options.overwrite);
    return { config, runDir, checkpoint: null };
  }
  const runDir = typeof options.resume === 'string' ? options.resume : options.out;
  if (runDir === undefined) throw new UsageError('--resume needs the run to continue: --resume runs/NAME (or --out runs/NAME --resume)');
  if (typeof options.resume === 'string' && options.out !== undefined && resolve(options.out) !== resolve(options.resume)) {
    throw new UsageError(`--resume ${options.resume} and --out ${options.out} name different runs`);
  }
  if (options.overwrite) throw new UsageError('--overwrite and --resume contradict each other: one replaces the run, the other continues it');
  const saved = readRunConfig(runDir);
  const config = mergeTrainConfig(saved, fileLayer, flagLayer);
  for (const key of Object.keys(config) as (keyof TrainConfig)[]) {
    if (!RESUMABLE_CHANGES.has(key) && JSON.stringify(config[key]) !== JSON.stringify(saved[key])) {
      throw new UsageError(
        `'${key}' cannot change when resuming (the run has ${JSON.stringify(saved[key])}, got ${JSON.stringify(config[key])}); only --epochs and --workers can`,
      );
    }
  }
  validateTrainConfig(config);
  const checkpoint = latestCheckpoint(runDir);
  if (checkpoint === null) throw new UsageError(`${runDir} has no checkpoint to resume from`);
  return { config, runDir, checkpoint };
}

/** `loom train`: resolves the run, trains with checkpoints every epoch and on Ctrl-C; returns the exit status. */
export async function trainCommand(options: TrainCommandOptions): Promise<number> {
  const { config, runDir, checkpoint } = resolveRun(options);
  const data = loadData(config);
  const { train, validation } = splitData(data.dataset, config.valSplit, config.seed);
  const { trainer, parameters } = await createTrainer(config, data.dataset);
  const reporter: Reporter = options.json ? new JsonLinesReporter() : new TerminalReporter();
  let created = false;
  try {
    let epochsDone = 0;
    if (checkpoint !== null) {
      const state = await loadCheckpoint(checkpoint);
      try {
        await trainer.loadStateDict(state);
      } catch (error) {
        throw new UsageError(`cannot resume from ${checkpoint}: ${(error as Error).message}`);
      }
      epochsDone = Number(state.meta.epoch);
      writeJsonAtomic(resolve(runDir, CONFIG_FILE), config);
    } else {
      createRunDir(runDir, config, options.overwrite);
      created = true;
    }
    reporter.start({
      runDir: resolve(runDir),
      config,
      data: {
        path: data.path,
        builtin: data.builtin,
        rows: data.dataset.length,
        train: train.length,
        validation: validation?.length ?? 0,
        features: data.features,
        featureShape: [...data.dataset.featureShape],
        target: data.dataset.targetName,
        classes: data.dataset.numClasses ?? null,
      },
      parameters,
      kernels: describeKernels(),
      resumedFrom: checkpoint === null ? null : resolve(checkpoint),
      epochsDone,
    });
    if (epochsDone >= config.epochs) {
      const epochs = `${epochsDone} epoch${epochsDone === 1 ? '' : 's'}`;
      reporter.notice(`the run has already trained ${epochs}; pass --epochs N with N > ${epochsDone} to train further`);
      return ExitCode.ok;
    }
    return await fitRun(trainer, reporter, { config, runDir, train, validation, epochsDone });
  } catch (error) {
    // Input that fails on the first step (a loss that does not fit the targets) leaves no run
    // behind to block the corrected command.
    if (created && error instanceof UsageError && latestCheckpoint(runDir) === null) rmSync(runDir, { recursive: true, force: true });
    throw error;
  } finally {
    reporter.stop();
    await trainer.close();
  }
}

interface FitRun {
  config: TrainConfig;
  runDir: string;
  train: TableDataset;
  validation: TableDataset | null;
  epochsDone: number;
}

/** Runs `fit` to the configured epoch count, reporting and checkpointing; Ctrl-C stops at a step boundary. */
async function fitRun(trainer: DataParallelTrainer, reporter: Reporter, run: FitRun): Promise<number> {
  const { config, runDir } = run;
  const started = performance.now();
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    controller.abort();
    reporter.notice('stopping after this step to write a checkpoint (Ctrl-C again to quit without one)');
  };
  process.on('SIGINT', onSigint);
  let stepsRun = 0;
  // The epoch's throughput so far: samples since the previous epoch (and its checkpoint) ended.
  let epochSamples = 0;
  let epochStart = started;
  let last: { valLoss: number | null; valAccuracy: number | null; checkpoint: string | null } = { valLoss: null, valAccuracy: null, checkpoint: null };
  const checkpoint = async (reason: 'epoch' | 'interrupt'): Promise<string> => {
    const state = await trainer.stateDict();
    const path = await saveCheckpoint(runDir, state, config.seed, reason);
    reporter.checkpoint({ path: resolve(path), reason, epoch: Number(state.meta.epoch), step: Number(state.meta.step) });
    return resolve(path);
  };
  try {
    const result = await trainer.fit(run.train, {
      epochs: config.epochs - run.epochsDone,
      ...(run.validation ? { validation: run.validation } : {}),
      signal: controller.signal,
      onStep: (info: StepInfo) => {
        stepsRun++;
        epochSamples += info.samples;
        const event = {
          epoch: info.epoch + 1,
          epochs: config.epochs,
          step: info.step + 1,
          batch: info.batch + 1,
          batches: info.batches,
          loss: info.loss,
          lr: info.lr,
          samples: info.samples,
          samplesPerSecond: epochSamples / Math.max((performance.now() - epochStart) / 1000, 1e-9),
          ms: info.timings.total,
        };
        reporter.step(event);
        appendMetrics(runDir, { event: 'step', ...event, skipped: info.skipped });
      },
      onEpoch: async (info: EpochInfo) => {
        const event = {
          epoch: info.epoch + 1,
          epochs: config.epochs,
          trainLoss: info.trainLoss,
          valLoss: info.valLoss ?? null,
          valAccuracy: info.valAccuracy ?? null,
          seconds: info.seconds,
          samplesPerSecond: info.samplesPerSecond,
        };
        reporter.epoch(event);
        appendMetrics(runDir, { event: 'epoch', ...event });
        last = { valLoss: event.valLoss, valAccuracy: event.valAccuracy, checkpoint: await checkpoint('epoch') };
        [epochSamples, epochStart] = [0, performance.now()];
      },
    });
    const seconds = (performance.now() - started) / 1000;
    if (result.stopped === 'aborted') {
      const path = await checkpoint('interrupt');
      reporter.done({ status: 'interrupted', epochs: result.epoch, steps: result.step, seconds, valLoss: last.valLoss, valAccuracy: last.valAccuracy, checkpoint: path });
      return ExitCode.interrupted;
    }
    reporter.done({ status: 'done', epochs: result.epoch, steps: result.step, seconds, ...last });
    return ExitCode.ok;
  } catch (error) {
    // Before the first step succeeds, a TypeError or RangeError is the data or model not fitting
    // the loss (shapes, class indices), which is the user's input; later, training itself failed.
    if (error instanceof UsageError) throw error;
    const message = (error as Error).message ?? String(error);
    // A step's error is wrapped in a StepError; the loss refusing the targets keeps its class in the cause.
    const cause = error instanceof StepError && error.modelLocation === null ? error.cause : error;
    if (stepsRun === 0 && (cause instanceof TypeError || cause instanceof RangeError)) throw new UsageError((cause as Error).message, { cause: error });
    throw new TrainingError(message, { cause: error });
  } finally {
    process.off('SIGINT', onSigint);
  }
}
