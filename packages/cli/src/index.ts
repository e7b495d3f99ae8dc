/**
 * @loom/cli: the `loom` command. The library surface is what the command is built from, for
 * scripts that want to run it in-process or reuse its config handling.
 * @packageDocumentation
 */
export { main } from './main.js';
export { createProgram } from './program.js';
export { ExitCode, UsageError, TrainingError } from './errors.js';
export {
  type TrainConfig,
  type NamedConfig,
  type SchedulerConfig,
  type PartialTrainConfig,
  defaultTrainConfig,
  mergeTrainConfig,
  validateTrainConfig,
} from './config.js';
export { readConfigFile } from './config-file.js';
export { cacheDir } from './env.js';
