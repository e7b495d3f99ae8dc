import { resolve } from 'node:path';
import { finalizeMpi, processRank, releaseState } from '@loom/parallel';
import { validateTrainConfig } from '../config.js';
import { ExitCode, TrainingError, UsageError } from '../errors.js';
import { onRank } from '../mpi-ranks.js';
import { wantsJson, writeJsonLine } from '../output/json-lines.js';
import { displayPath, formatCount, formatMetric } from '../output/summary.js';
import { resolvePath } from '../paths.js';
import { latestCheckpoint, loadCheckpoint } from '../run/checkpoints.js';
import { readRunConfig } from '../run/run-dir.js';
import { createTrainer } from '../trainer-setup.js';
import { loadData, splitData } from '../training-data.js';

/** Options of `loom eval`. */
export interface EvalCommandOptions {
  run: string;
  data: string | undefined;
  checkpoint: string | undefined;
  workers: number | undefined;
  json: boolean;
}

/**
 * `loom eval`: the loss and accuracy of a saved run's latest checkpoint (or `--checkpoint`), on
 * `--data` in full, or else on the run's own validation rows (the same seeded split).
 *
 * Under an MPI launch of several ranks (`mpirun -n 2 loom eval …`) every rank evaluates its share
 * of the rows and gets the whole result; rank 0 alone prints it, and an error is printed by the
 * rank it happened on, prefixed with that rank.
 */
export async function evalCommand(options: EvalCommandOptions): Promise<number> {
  const { rank, ranks } = await processRank();
  if (ranks === 1) return evalRank(options, true);
  try {
    const code = await evalRank(options, rank === 0);
    await finalizeMpi();
    return code;
  } catch (error) {
    throw onRank(error, rank);
  }
}

/** The evaluation on one rank (of one or more); `primary` prints the result. */
async function evalRank(options: EvalCommandOptions, primary: boolean): Promise<number> {
  const saved = readRunConfig(options.run);
  const config = { ...saved, workers: options.workers ?? saved.workers };
  if (options.data !== undefined) config.data = resolvePath(options.data);
  validateTrainConfig(config);
  const checkpoint = options.checkpoint ?? latestCheckpoint(options.run);
  if (checkpoint === null) throw new UsageError(`${options.run} has no checkpoint yet`);
  const { state } = await loadCheckpoint(checkpoint);
  const data = loadData(config);
  let dataset = data.dataset;
  let rows = 'all rows';
  if (options.data === undefined) {
    const { validation } = splitData(data.dataset, saved.valSplit, saved.seed);
    if (validation) [dataset, rows] = [validation, 'validation rows'];
  }
  const { trainer } = await createTrainer(config, data.dataset);
  try {
    try {
      await trainer.loadStateDict(state);
    } catch (error) {
      throw new UsageError(`cannot load ${checkpoint} into the run's model: ${(error as Error).message}`);
    } finally {
      releaseState(state);
    }
    let result;
    try {
      result = await trainer.evaluate(dataset);
    } catch (error) {
      throw new TrainingError(`evaluation failed: ${(error as Error).message}`);
    }
    if (!primary) return ExitCode.ok;
    const payload = {
      run: resolve(options.run),
      checkpoint: resolve(checkpoint),
      data: data.path,
      rows,
      samples: result.samples,
      loss: result.loss,
      accuracy: result.accuracy ?? null,
      classes: data.classNames,
    };
    if (wantsJson(options.json)) {
      writeJsonLine('eval', payload);
    } else {
      const accuracy = result.accuracy !== undefined ? `  accuracy ${formatMetric(result.accuracy)}` : '';
      const classes = data.classNames ? `\nclasses: ${data.classNames.map((name, i) => `${i} ${name}`).join(', ')}` : '';
      process.stdout.write(
        `${displayPath(checkpoint)} on ${formatCount(result.samples)} ${rows} of ${displayPath(data.path)}: loss ${formatMetric(result.loss)}${accuracy}${classes}\n`,
      );
    }
    return ExitCode.ok;
  } finally {
    await trainer.close();
  }
}
