import { type Module, Tensor, formatShape, noGrad, withArena } from '@loom/core';
import { type TableDataset, DataParallelTrainer, type ModelSpec, type TrainerOptions } from '@loom/parallel';
import type { PlateauMetric, TrainConfig } from './config.js';
import { UsageError } from './errors.js';
import { describeModel, outputSize, toModelSpec } from './model-spec.js';

/** A trainer whose model is built and checked against the data. */
export interface ReadyTrainer {
  trainer: DataParallelTrainer;
  parameters: number;
  /** The model as built: `mlp 784,256,128,10`, `cnn [1,28,28] → 10`, or the module. */
  model: string;
}

const PLATEAU_METRICS: Record<PlateauMetric, 'valLoss' | 'valAccuracy' | 'trainLoss'> = {
  'val-loss': 'valLoss',
  'val-accuracy': 'valAccuracy',
  'train-loss': 'trainLoss',
};

/** `--step-timeout` (seconds, or 'auto') as the trainer's `stepTimeout` (milliseconds). */
export function stepTimeoutMs(value: string): number | 'auto' {
  return value === 'auto' ? 'auto' : Number(value) * 1000;
}

/** The trainer's options for a config and the model spec resolved against the data. */
export function trainerOptions(config: TrainConfig, model: ModelSpec, stepTimeout = 'auto'): TrainerOptions {
  const options: TrainerOptions = {
    onNonFinite: config.onNan,
    stepTimeout: stepTimeoutMs(stepTimeout),
    model,
    loss: { name: config.loss.name, options: config.loss.options },
    optimizer: { name: config.optimizer.name, options: config.optimizer.options },
    workers: config.workers,
    batchSize: config.batchSize,
    microBatch: config.microBatch,
    seed: config.seed,
    l1: config.l1,
    l2: config.l2,
  };
  if (config.scheduler) {
    const { metric, ...scheduler } = config.scheduler;
    options.scheduler = metric === undefined ? scheduler : { ...scheduler, metric: PLATEAU_METRICS[metric] };
  }
  if (config.clipGradNorm !== null) options.clipGradNorm = config.clipGradNorm;
  return options;
}

/**
 * Creates the trainer and builds its model (which starts the workers). Everything that fails
 * here is a problem with the input — an unknown loss or optimizer, a bad option, a model module
 * that does not load or whose output does not fit the data — so it becomes a UsageError.
 */
export async function createTrainer(config: TrainConfig, dataset: TableDataset, stepTimeout = 'auto'): Promise<ReadyTrainer> {
  const spec = toModelSpec(config.model, config.inputShape, dataset);
  let trainer: DataParallelTrainer;
  try {
    trainer = new DataParallelTrainer(trainerOptions(config, spec, stepTimeout));
  } catch (error) {
    throw usageError(error);
  }
  try {
    const model = await trainer.model();
    if ('module' in spec) checkModelOutput(model, dataset, config.model);
    let parameters = 0;
    for (const p of model.parameters()) parameters += p.numel;
    return { trainer, parameters, model: describeModel(spec) };
  } catch (error) {
    await trainer.close();
    throw usageError(error);
  }
}

/** A user's model must map one row to one score per class (or one value per target element). */
function checkModelOutput(model: Module, dataset: TableDataset, name: string): void {
  const expected = [1, outputSize(dataset)];
  const shape = withArena(() =>
    noGrad(() => {
      const x = Tensor.empty([1, ...dataset.featureShape], 'float32');
      x.data().set(dataset.features.subarray(0, dataset.featureDim));
      const wasTraining = model.training;
      model.eval();
      try {
        return [...model.forward(x).shape];
      } catch (error) {
        throw new UsageError(`model ${name} fails on one row of shape ${formatShape(x.shape)}: ${(error as Error).message}`);
      } finally {
        if (wasTraining) model.train();
      }
    }),
  );
  if (shape.length !== 2 || shape[1] !== expected[1]) {
    const what = dataset.targetKind === 'class' ? `${expected[1]} classes` : `${expected[1]} values per row`;
    throw new UsageError(
      `model ${name} outputs ${formatShape(shape)} for one row but the target '${dataset.targetName}' has ${what}; expected ${formatShape(expected)}`,
    );
  }
}

function usageError(error: unknown): UsageError {
  if (error instanceof UsageError) return error;
  return new UsageError((error as Error).message.replace(/^DataParallelTrainer: /, ''));
}
